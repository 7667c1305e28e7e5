#!/usr/bin/env bash
# Boots the Figment QEMU test image that lies next to this script
# (figment-qemu.img, vmlinuz, initrd.img). build.sh copies it there.
#
#   ./start-qemu.sh [extra QEMU options…]
#
# Environment:
#   FIGMENT_QEMU_ACCEL    kvm or tcg. Defaults to tcg (software emulation),
#                         which works everywhere, nested virtualisation included.
#   FIGMENT_QEMU_DISPLAY  a QEMU -display backend. Defaults to gtk when a
#                         desktop is there, otherwise none.
#   FIGMENT_QEMU_SNAPSHOT 1 (default) discards writes when QEMU exits; 0 keeps them.
set -euo pipefail

main() {
  local here
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  local accel=(-accel "tcg,thread=multi" -cpu max)
  if [[ "${FIGMENT_QEMU_ACCEL:-tcg}" == kvm ]]; then
    accel=(-accel kvm -cpu host)
  fi
  local display="${FIGMENT_QEMU_DISPLAY:-}"
  if [[ -z "$display" ]]; then
    display=none
    if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
      display=gtk
    fi
  fi
  local snapshot=()
  if [[ "${FIGMENT_QEMU_SNAPSHOT:-1}" == 1 ]]; then
    snapshot=(-snapshot)
  fi
  exec qemu-system-x86_64 \
    "${accel[@]}" -smp 2 -m 2048 \
    -machine q35 \
    -kernel "$here/vmlinuz" -initrd "$here/initrd.img" \
    -append "$(kernel_cmdline)" \
    -drive "file=$here/figment-qemu.img,format=raw,if=virtio" \
    "${snapshot[@]}" \
    -device virtio-gpu-pci,xres=1280,yres=800 -vga none \
    -device virtio-keyboard-pci -device virtio-tablet-pci \
    -device virtio-rng-pci \
    -device i6300esb -action watchdog=reset \
    -nic none \
    -display "$display" \
    -serial stdio -monitor none \
    "$@"
}

# Read-only root, /var in RAM (systemd.volatile=state), the data partition
# mounted by var-lib-figment.mount; a quiet console except for what the test
# image forwards to it.
kernel_cmdline() {
  local options=(
    root=LABEL=figment-root ro rootfstype=ext4
    systemd.volatile=state
    "console=ttyS0,115200"
    quiet loglevel=3 systemd.show_status=false
    rd.udev.log_level=3 udev.log_level=3
  )
  echo "${options[*]}"
}

main "$@"
