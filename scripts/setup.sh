#!/usr/bin/env bash
# Installs what Figment needs on a fresh Debian or Ubuntu machine.
#   bash scripts/setup.sh              npm packages, the build, Electron if it can be downloaded
#   bash scripts/setup.sh --for-tests  npm packages, the build, and the system packages the tests use
set -euo pipefail

readonly test_packages=(chromium dbus-daemon systemd shellcheck)

main() {
  local for_tests=false
  if [[ "${1:-}" == "--for-tests" ]]; then
    for_tests=true
  fi
  cd "$(dirname "${BASH_SOURCE[0]}")/.."

  if [[ "$for_tests" == true ]]; then
    install_system_packages "${test_packages[@]}"
  fi
  echo "==> Installing npm packages"
  npm ci --no-fund --no-audit
  if [[ "$for_tests" == false ]]; then
    fetch_electron
  fi
  echo "==> Building"
  npm run --silent build
}

# Installs Debian packages that are missing, with apt-get as root or via sudo.
install_system_packages() {
  local missing=()
  local package
  for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "==> Installing system packages: ${missing[*]}"
  local sudo=()
  if ((EUID != 0)); then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# Electron downloads its runtime on first use; fetch it now, or fall back to the browser host.
fetch_electron() {
  echo "==> Fetching the Electron runtime"
  if ! timeout 300 node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "    Electron could not be downloaded; 'npm start' will use the browser host (Chromium) instead."
  fi
}

main "$@"
