#!/usr/bin/env bash
# Lint the Windows and macOS builds on this Linux machine: for Windows the
# whole workspace, the desktop app included; for macOS all but the app.
#
# Windows: clippy for x86_64-win7-windows-gnu, the target the Windows
# programs are built for here (scripts/windows-build.sh), in the same target
# folder, so build scripts run once for both. It stands in for the msvc
# target: the code under cfg(windows) is the same, and one std build serves
# the lint, the release build and the lab. macOS: clippy for
# aarch64-apple-darwin, whose C (ring's) gets stand-in objects, since there
# is no macOS SDK here and a lint never links.
#
# Debian's own Rust toolchain pairs with its std sources, so -Zbuild-std
# builds std for targets rustup cannot fetch offline. RUSTC must be set or
# cargo picks rustup's rustc.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${BATON_CACHE:-$HOME/.cache/baton}"
export PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
tools="$PWD/scripts/xcheck-tools"
export CC_aarch64_apple_darwin="$tools/cc" AR_aarch64_apple_darwin="$tools/ar"
# The app's UI is built into it (tauri::generate_context! reads ui/dist).
[ -f ui/dist/index.html ] || { echo "xcheck: build the UI first (make ui-build)"; exit 1; }
lint() {
  local target=$1 dir=$2
  shift 2
  # The cache is shared by every checkout on this machine, and cargo names a
  # workspace crate's output by its path inside the workspace, not by where
  # the checkout lives: rebuild Baton's own crates every time.
  /usr/bin/cargo clean --quiet -Zbuild-std --target "$target" --target-dir "$dir" \
    -p baton-core -p baton-system -p baton-cli -p baton-app -p minimal-app
  /usr/bin/cargo clippy --locked -Zbuild-std=std,panic_abort --target "$target" --target-dir "$dir" \
    --workspace --all-targets "$@" -- -D warnings
}
# minimal-app is the Linux benchmark's reference app and has no Windows icon.
lint x86_64-win7-windows-gnu "$cache/windows-build" --exclude minimal-app --features baton-app/custom-protocol
# The desktop app's macOS lint is not in yet: it has not been run here.
lint aarch64-apple-darwin "$cache/xcheck" --exclude baton-app --exclude minimal-app
echo "xcheck: windows (the desktop app included) and macos lint clean"
