#!/usr/bin/env bash
# Builds the QEMU test image from Debian's packages (mmdebstrap), the shared
# overlay in image/rootfs-overlay and the project's own build of figmentd and
# the shell. Needs root (or sudo), mmdebstrap, e2fsprogs and fdisk.
#
#   bash image/qemu-test/build.sh [OUT_DIR]     (default: build/image)
#
# The Debian root filesystem is cached under OUT_DIR/cache, keyed by the
# package list and this script's mmdebstrap options, so repeated builds only
# redo the quick part: copy, overlay, app, disk image.
set -euo pipefail

readonly suite=bookworm
readonly mirror=http://deb.debian.org/debian
readonly security_mirror=http://deb.debian.org/debian-security
# Sizes of the two partitions of the disk image, in MiB.
readonly root_size_mib=1536
readonly data_size_mib=256

main() {
  local here repo out
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "$here/../.." && pwd)"
  out="$(realpath -m "${1:-$repo/build/image}")"
  if ((EUID != 0)); then
    exec sudo --preserve-env=PATH bash "${BASH_SOURCE[0]}" "$out"
  fi
  require_tools mmdebstrap mkfs.ext4 sfdisk node
  mkdir -p "$out/cache"

  local started rootfs_cache cached=false
  started="$(date +%s.%N)"
  if [[ -f "$out/cache/rootfs-$(rootfs_key "$here").done" ]]; then
    cached=true
  fi
  rootfs_cache="$(cached_rootfs "$here" "$out/cache")"
  local work="$out/work"
  rm -rf "$work"
  mkdir -p "$work"
  # Hard links: quick, and safe because compose_rootfs only replaces files
  # (cp --remove-destination, install, rename), never writes into one.
  cp -al "$rootfs_cache" "$work/rootfs"
  compose_rootfs "$repo" "$work/rootfs"
  make_disk "$work" "$out"
  install -m 0755 "$here/start-qemu.sh" "$out/start-qemu.sh"
  rm -rf "$work"
  local finished
  finished="$(date +%s.%N)"
  printf '{"stage":"image-build","seconds":%s,"imageBytes":%d,"imageUsedBytes":%d,"rootfsCached":%s}\n' \
    "$(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.1f", b - a }')" \
    "$(stat -c %s "$out/figment-qemu.img")" "$(($(stat -c %b "$out/figment-qemu.img") * 512))" "$cached"
}

require_tools() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "build.sh: $tool is missing (apt-get install mmdebstrap e2fsprogs fdisk)" >&2
      exit 1
    fi
  done
}

# Prints the path of the cached Debian root filesystem, building it if needed.
cached_rootfs() {
  local here="$1" cache="$2"
  local packages dir
  packages="$(package_list "$here")"
  dir="$cache/rootfs-$(rootfs_key "$here")"
  if [[ ! -f "$dir.done" ]]; then
    rm -rf "$dir" "$dir.done"
    debootstrap_rootfs "$packages" "$dir" "$here" >&2
    touch "$dir.done"
  fi
  echo "$dir"
}

package_list() {
  grep -v '^#' "$1/packages.txt" | grep -v '^$' | paste -sd, -
}

# What the cached root depends on: suite, packages, mmdebstrap options, slim script.
rootfs_key() {
  local here="$1"
  cat <(printf '%s\n%s\n' "$suite" "$(package_list "$here")") <(declare -f debootstrap_rootfs) "$here/slim-rootfs.sh" |
    sha256sum | cut -c1-16
}

# The slow part (2-3 minutes): Debian's packages, then slim-rootfs.sh.
debootstrap_rootfs() {
  local packages="$1" dir="$2" here="$3"
  mkdir -p "$dir"
  # The hooks are run by mmdebstrap with the root as $1: single quotes on purpose.
  # shellcheck disable=SC2016
  mmdebstrap --mode=root --variant=minbase --include="$packages" \
    --aptopt='APT::Install-Recommends "false"' \
    --essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"' \
    --essential-hook='printf "MODULES=list\nCOMPRESS=zstd\n" > "$1/etc/initramfs-tools/conf.d/figment"' \
    --essential-hook='printf "virtio_pci\nvirtio_blk\next4\n" > "$1/usr/share/initramfs-tools/modules.d/figment.conf"' \
    --customize-hook="bash '$here/slim-rootfs.sh' \"\$1\"" \
    "$suite" "$dir" \
    "deb $mirror $suite main" \
    "deb $mirror $suite-updates main" \
    "deb $security_mirror $suite-security main"
}

# Adds the shared overlay, the test overlay, Node, the app, users and unit presets.
compose_rootfs() {
  local repo="$1" rootfs="$2"
  cp -a --remove-destination "$repo/image/rootfs-overlay/." "$rootfs/"
  cp -a --remove-destination "$repo/image/qemu-test/overlay/." "$rootfs/"
  install_node "$rootfs"
  bash "$repo/image/scripts/stage-app.sh" "$repo" "$rootfs/usr/lib/figment"
  systemd-sysusers --root="$rootfs" >/dev/null
  systemctl --root="$rootfs" preset-all >/dev/null 2>&1
  # A read-only root starts with an empty machine-id; systemd gives it a transient one.
  rm -f "$rootfs/etc/machine-id"
  touch "$rootfs/etc/machine-id"
  # The kernel and initramfs are booted directly by QEMU, not from the disk.
  cp "$(find "$rootfs/boot" -name 'vmlinuz-*' | head -n1)" "$rootfs/../vmlinuz"
  cp "$(find "$rootfs/boot" -name 'initrd.img-*' | head -n1)" "$rootfs/../initrd.img"
}

# Node ≥ 20: Debian 12's nodejs is 18, so the host's own Node 20 build (a single
# self-contained binary, as NodeSource and nodejs.org ship it) goes in.
install_node() {
  local rootfs="$1"
  local node major
  node="$(command -v node)"
  major="$("$node" -p 'process.versions.node.split(".")[0]')"
  if ((major < 20)); then
    echo "build.sh: the host's Node is $("$node" --version); the image needs Node 20 or later" >&2
    exit 1
  fi
  if ldd "$node" | grep -q libnode; then
    echo "build.sh: $node links to libnode (a distribution build); use a self-contained Node 20 binary" >&2
    exit 1
  fi
  install -m 0755 "$node" "$rootfs/usr/bin/node"
  strip --strip-debug "$rootfs/usr/bin/node" 2>/dev/null || true
}

# One disk, GPT: root (ext4, mounted read-only) and data (ext4, /var/lib/figment),
# each made by mkfs.ext4 -d and written into place without loop mounts.
make_disk() {
  local work="$1" out="$2"
  local disk="$out/figment-qemu.img.tmp"
  mkdir -p "$work/data/figment"
  mkfs.ext4 -q -F -L figment-root -d "$work/rootfs" "$work/root.ext4" "${root_size_mib}M"
  mkfs.ext4 -q -F -L figment-data -d "$work/data" "$work/data.ext4" "${data_size_mib}M"
  local total_mib=$((1 + root_size_mib + data_size_mib + 1))
  rm -f "$disk"
  truncate -s "${total_mib}M" "$disk"
  sfdisk -q "$disk" <<EOF
label: gpt
start=1MiB, size=${root_size_mib}MiB, type=4f68bce3-e8cd-4db1-96e7-fbcaf984b709, name=figment-root
size=${data_size_mib}MiB, type=0fc63daf-8483-4772-8e79-3d69d8477de4, name=figment-data
EOF
  dd if="$work/root.ext4" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
  dd if="$work/data.ext4" of="$disk" bs=1M seek=$((1 + root_size_mib)) conv=notrunc,sparse status=none
  mv "$disk" "$out/figment-qemu.img"
  mv "$work/vmlinuz" "$work/initrd.img" "$out/"
}

main "$@"
