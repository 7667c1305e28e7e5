# RAUC A/B with U-Boot (RAUC's "uboot" backend): BOOT_ORDER lists the slots,
# BOOT_<slot>_LEFT counts the attempts left; "rauc status mark-good" refills it.
test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 3

setenv bootpart
setenv raucslot
for BOOT_SLOT in "${BOOT_ORDER}"; do
  if test "x${bootpart}" != "x"; then
    # a slot was already chosen
  elif test "x${BOOT_SLOT}" = "xA"; then
    if test ${BOOT_A_LEFT} -gt 0; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      setenv bootpart "/dev/mmcblk0p2"
      setenv raucslot "A"
    fi
  elif test "x${BOOT_SLOT}" = "xB"; then
    if test ${BOOT_B_LEFT} -gt 0; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      setenv bootpart "/dev/mmcblk0p3"
      setenv raucslot "B"
    fi
  fi
done

if test -n "${bootpart}"; then
  setenv bootargs "root=${bootpart} ro rootfstype=squashfs rootwait rauc.slot=${raucslot} console=tty1 quiet"
  saveenv
else
  echo "No slot left to try: resetting the attempt counters"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 3
  saveenv
  reset
fi

fatload mmc 0:1 ${kernel_addr_r} Image
booti ${kernel_addr_r} - ${fdt_addr}
