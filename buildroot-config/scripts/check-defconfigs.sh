#!/usr/bin/env bash
# Checks every Figment defconfig against a Buildroot tree's Kconfig: loads it
# with "make <name>_defconfig" (Kconfig drops unknown symbols and choices
# whose dependencies fail, silently) and reports each line of the defconfig
# that did not survive into .config. Offline: nothing is downloaded or built.
#
#   bash buildroot-config/scripts/check-defconfigs.sh BUILDROOT_DIR
#
# BUILDROOT_DIR: a Buildroot checkout at the pinned release (BUILDROOT_VERSION).
set -euo pipefail

main() {
  local buildroot="$1"
  local external
  external="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  local work status=0 defconfig
  work="$(mktemp -d)"
  for defconfig in "$external"/configs/*_defconfig; do
    if ! check_one "$buildroot" "$external" "$defconfig" "$work/$(basename "$defconfig")"; then
      status=1
    fi
  done
  rm -rf "$work"
  return "$status"
}

check_one() {
  local buildroot="$1" external="$2" defconfig="$3" out="$4"
  local name missing=0 line
  name="$(basename "$defconfig")"
  make -s -C "$buildroot" O="$out" BR2_EXTERNAL="$external" "$name" >"$out.log" 2>&1 || {
    echo "FAIL $name: make $name failed:" >&2
    cat "$out.log" >&2
    return 1
  }
  while IFS= read -r line; do
    [[ -z "$line" ]] && continue
    if [[ "$line" == "# "*" is not set" ]]; then
      local symbol="${line#\# }"
      symbol="${symbol% is not set}"
      if grep -q "^$symbol=" "$out/.config"; then
        echo "FAIL $name: $symbol should be unset" >&2
        missing=1
      fi
      continue
    fi
    if ! grep -qxF "$(expand_external "$line" "$external")" "$out/.config"; then
      echo "FAIL $name: $line (got: $(grep "^${line%%=*}=" "$out/.config" || echo 'not set'))" >&2
      missing=1
    fi
  done <"$defconfig"
  if ((missing == 0)); then
    echo "ok   $name ($(grep -c . "$defconfig") lines, all in .config)"
  fi
  return "$missing"
}

# .config keeps $(BR2_EXTERNAL_FIGMENT_PATH) unexpanded, as written.
expand_external() {
  printf '%s\n' "$1"
}

main "$@"
