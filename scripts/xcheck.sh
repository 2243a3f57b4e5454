#!/usr/bin/env bash
# Type-check and lint the Windows and macOS builds on this Linux machine.
# The desktop app (baton-app) is left out: its Windows and macOS builds come
# from release.yml on their own runners; everything below it is checked here.
#
# Debian's own Rust toolchain (rustc-web 1.85) pairs with its std sources, so
# -Zbuild-std can build std for targets rustup cannot fetch offline; rustup's
# toolchains do not. RUSTC must be set or cargo picks rustup's rustc.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${BATON_CACHE:-$HOME/.cache/baton}"
export PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export RC=llvm-rc-22   # tauri-build's .rc on msvc
# C in build scripts (ring for rustls): no Windows or macOS SDK here, and a
# check never links, so stand-in tools write empty objects (see their header).
tools="$PWD/scripts/xcheck-tools"
export CC_x86_64_pc_windows_msvc="$tools/cc" AR_x86_64_pc_windows_msvc="$tools/ar"
export CC_aarch64_apple_darwin="$tools/cc" AR_aarch64_apple_darwin="$tools/ar"
targets=(--target x86_64-pc-windows-msvc --target aarch64-apple-darwin)
common=(--locked -Zbuild-std=std,panic_abort "${targets[@]}" --target-dir "$cache/xcheck" --workspace --exclude baton-app --exclude minimal-app --all-targets)
# The cache is shared by every checkout on this machine, and cargo names a
# workspace crate's output by its path inside the workspace, not by where the
# checkout lives: a checkout whose files are older than another's last build
# would be served that build. Baton's own crates are quick to redo.
/usr/bin/cargo clean --quiet -Zbuild-std "${targets[@]}" --target-dir "$cache/xcheck" -p baton-core -p baton-system -p baton-cli
/usr/bin/cargo check "${common[@]}"
/usr/bin/cargo clippy "${common[@]}" -- -D warnings
echo "xcheck: windows and macos type-check and lint clean"
