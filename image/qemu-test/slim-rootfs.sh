#!/usr/bin/env bash
# mmdebstrap customize hook: removes from the Debian root what a kiosk never
# reads (documentation, translations, apt's caches, kernel modules for
# hardware a QEMU guest does not have), then refreshes the module index.
#   slim-rootfs.sh ROOTFS
set -euo pipefail

main() {
  local rootfs="$1"
  rm -rf "$rootfs"/usr/share/{doc,man,info,lintian}/* "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'en*' -exec rm -rf {} +
  local modules kernel
  for modules in "$rootfs"/usr/lib/modules/*/; do
    kernel="$(basename "$modules")"
    rm -rf "$modules"/kernel/{sound,drivers/net/wireless,drivers/media,drivers/staging,drivers/infiniband} \
      "$modules"/kernel/drivers/gpu/drm/{amd,nouveau,i915,radeon} \
      "$modules"/kernel/drivers/{bluetooth,isdn,iio,nfc,scsi,net/ethernet,net/can,usb/serial} \
      "$modules"/kernel/{net/wireless,net/mac80211,net/bluetooth} \
      "$modules"/kernel/fs/{ocfs2,btrfs,xfs,gfs2,nfs,nfsd,ceph,smb,cifs,jfs,reiserfs,nilfs2,f2fs}
    chroot "$rootfs" depmod "$kernel"
  done
}

main "$@"
