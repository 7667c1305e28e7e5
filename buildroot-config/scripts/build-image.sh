#!/usr/bin/env bash
# Builds one Figment image with Buildroot, on a machine with internet.
#
#   bash buildroot-config/scripts/build-image.sh BOARD
#
# BOARD: qemu_x86_64, pc_x86_64_efi or rpi4_64 (configs/figment_<BOARD>_defconfig).
# Fetches Buildroot at the pinned release (BUILDROOT_VERSION) into
# build/buildroot, builds the app (npm ci, npm run build) and then the image
# in build/br-<BOARD>; the result is build/br-<BOARD>/images/ (disk.img or
# sdcard.img, a signed RAUC bundle, and start-qemu.sh for QEMU boards).
set -euo pipefail

main() {
  local board="${1:?usage: build-image.sh qemu_x86_64|pc_x86_64_efi|rpi4_64}"
  local external repo version
  external="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  repo="$(dirname "$external")"
  version="$(<"$external/BUILDROOT_VERSION")"
  local buildroot="$repo/build/buildroot" out="$repo/build/br-$board"
  if [[ ! -f "$external/configs/figment_${board}_defconfig" ]]; then
    echo "build-image.sh: no defconfig for board '$board'" >&2
    exit 1
  fi
  fetch_buildroot "$buildroot" "$version"
  (cd "$repo" && npm ci --no-audit --no-fund && npm run --silent build)
  make -C "$buildroot" O="$out" BR2_EXTERNAL="$external" "figment_${board}_defconfig"
  make -C "$buildroot" O="$out"
}

fetch_buildroot() {
  local dir="$1" version="$2"
  if [[ ! -d "$dir/.git" ]]; then
    git clone --depth 1 --branch "$version" https://gitlab.com/buildroot.org/buildroot.git "$dir"
  elif [[ "$(git -C "$dir" describe --tags)" != "$version" ]]; then
    git -C "$dir" fetch --depth 1 origin tag "$version"
    git -C "$dir" checkout -q "$version"
  fi
}

main "$@"
