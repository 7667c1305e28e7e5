#!/usr/bin/env bash
# Shared post-build for every Figment board (BR2_ROOTFS_POST_BUILD_SCRIPT).
#   post-build.sh TARGET_DIR BOARD_DIR
# BOARD_DIR (from BR2_ROOTFS_POST_SCRIPT_ARGS) holds the board's meta file.
set -euo pipefail

main() {
  local target="$1" board_dir="$2"
  # shellcheck source=/dev/null # key=value lines (the board's meta)
  source "$board_dir/meta"
  write_rauc_config "$target" "$(dirname "${BASH_SOURCE[0]}")/rauc/system.conf.in"
  write_kiosk_env "$target"
  install_rauc_keyring "$target"
  # Only what the presets enable starts (image/rootfs-overlay/.../50-figment.preset).
  systemctl --root="$target" preset-all
  # A read-only root starts with an empty machine-id; systemd gives it a transient one.
  : >"$target/etc/machine-id"
}

write_rauc_config() {
  local target="$1" template="$2"
  mkdir -p "$target/etc/rauc"
  sed -e "s|@BOARD@|$BOARD_ID|" -e "s|@BOOTLOADER@|$BOOTLOADER|" \
    -e "s|@ROOT_A@|$ROOT_A|" -e "s|@ROOT_B@|$ROOT_B|" \
    "$template" >"$target/etc/rauc/system.conf"
  if [[ "$BOOTLOADER" == grub ]]; then
    # RAUC's GRUB backend edits grubenv on the EFI partition (boot-efi.mount).
    sed -i 's|^\[system\]$|[system]\ngrubenv=/boot/efi/grubenv|' "$target/etc/rauc/system.conf"
  else
    systemctl --root="$target" mask boot-efi.mount
  fi
}

write_kiosk_env() {
  local target="$1"
  printf '%s\n' "# Written by post-build.sh from the board's meta." "$KIOSK_ENV" >"$target/etc/default/figment-kiosk"
}

# Bundles must be signed by a key the keyring trusts. Production builds set
# FIGMENT_RAUC_CERT (and FIGMENT_RAUC_KEY for post-image.sh); otherwise a
# development key pair is made once under BR2_EXTERNAL/../build/rauc-dev.
install_rauc_keyring() {
  local target="$1"
  local cert
  cert="$(rauc_cert)"
  install -D -m 0644 "$cert" "$target/etc/rauc/keyring.pem"
}

rauc_cert() {
  if [[ -n "${FIGMENT_RAUC_CERT:-}" ]]; then
    echo "$FIGMENT_RAUC_CERT"
    return 0
  fi
  local dev_dir="${BR2_EXTERNAL_FIGMENT_PATH}/../build/rauc-dev"
  if [[ ! -f "$dev_dir/cert.pem" ]]; then
    mkdir -p "$dev_dir"
    openssl req -x509 -newkey rsa:4096 -nodes -days 3650 -subj "/O=Figment/CN=Figment development" \
      -keyout "$dev_dir/key.pem" -out "$dev_dir/cert.pem" 2>/dev/null
    echo "post-build.sh: made a development RAUC key in $dev_dir (not for production)" >&2
  fi
  echo "$dev_dir/cert.pem"
}

main "$@"
