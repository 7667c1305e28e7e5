#!/usr/bin/env bash
# Copies what figmentd and the shell need at run time into DEST (in an image,
# /usr/lib/figment): dist/, prompts/, package.json and the production
# node_modules, without the GPU variants of node-llama-cpp's binaries (the
# CUDA and Vulkan builds are ~600 MiB; the CPU build for the image's
# architecture stays).
#
#   bash image/scripts/stage-app.sh REPO DEST [ARCH]   (ARCH: x64 or arm64, default x64)
#
# Run "npm run build" first; the native modules in node_modules must be built
# for the Node version that goes into the image.
set -euo pipefail

main() {
  local repo="$1" dest="$2" arch="${3:-x64}"
  if [[ ! -f "$repo/dist/services/figmentd/main.js" ]]; then
    echo "stage-app.sh: $repo/dist is missing: run \"npm run build\" first" >&2
    exit 1
  fi
  # Only what this script copies: DEST may hold other files (the overlay's
  # figmentd.json in /usr/lib/figment).
  rm -rf "$dest/dist" "$dest/prompts" "$dest/package.json" "$dest/node_modules"
  mkdir -p "$dest/node_modules"
  cp -a "$repo/dist" "$repo/prompts" "$repo/package.json" "$dest/"
  # Source maps help debugging on a development machine, not on a kiosk.
  find "$dest/dist" -name '*.map' -delete
  copy_production_modules "$repo" "$dest" "$arch"
}

# npm knows the production dependency tree; copy each package it lists.
copy_production_modules() {
  local repo="$1" dest="$2" arch="$3"
  local package relative
  while IFS= read -r package; do
    relative="${package#"$repo"/}"
    [[ "$relative" == node_modules/* ]] || continue
    if ! wanted_package "$relative" "$arch"; then
      continue
    fi
    mkdir -p "$dest/$(dirname "$relative")"
    cp -a "$(realpath "$package")" "$dest/$relative"
  done < <(cd "$repo" && npm ls --omit=dev --all --parseable 2>/dev/null)
  prune_build_leftovers "$dest/node_modules"
}

# Only the CPU binaries of node-llama-cpp and sqlite-vec for this architecture;
# not TypeScript, which npm lists because node-llama-cpp names it as an
# optional peer but which only the build needs.
wanted_package() {
  local relative="$1" arch="$2"
  case "$relative" in
    node_modules/typescript | node_modules/@typescript/*) return 1 ;;
    node_modules/@node-llama-cpp/*) [[ "$relative" == "node_modules/@node-llama-cpp/linux-$arch" ]] ;;
    node_modules/sqlite-vec-*) [[ "$relative" == "node_modules/sqlite-vec-linux-$arch" ]] ;;
    *) return 0 ;;
  esac
}

# Sources and object files left by native builds are not needed to run.
prune_build_leftovers() {
  local modules="$1"
  rm -rf "$modules/better-sqlite3/deps" "$modules/better-sqlite3/src" \
    "$modules/better-sqlite3/build/Release/obj" "$modules/better-sqlite3/build/Release/obj.target" \
    "$modules/better-sqlite3/build/Release/.deps" "$modules/better-sqlite3/build/deps" \
    "$modules/better-sqlite3/build/Release/sqlite3.a" "$modules/better-sqlite3/build/Release/test_extension.node" \
    "$modules/node-llama-cpp/llama/gitRelease.bundle" "$modules/node-llama-cpp/llama/llama.cpp"
}

main "$@"
