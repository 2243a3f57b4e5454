#!/usr/bin/env bash
# Type-check and lint the Windows and macOS builds on this Linux machine.
#
# Debian's own Rust toolchain (rustc-web 1.85) pairs with its std sources, so
# -Zbuild-std can build std for targets rustup cannot fetch offline; rustup's
# toolchains do not. RUSTC must be set or cargo picks rustup's rustc.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${BATON_CACHE:-$HOME/.cache/baton}"
export PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export RC=llvm-rc-22 CC_aarch64_apple_darwin=clang-22   # tauri-build's .rc on msvc; objc2's .m on darwin
targets=(--target x86_64-pc-windows-msvc --target aarch64-apple-darwin)
common=(--locked -Zbuild-std=std,panic_abort "${targets[@]}" --target-dir "$cache/xcheck" --workspace --all-targets)
/usr/bin/cargo check "${common[@]}"
/usr/bin/cargo clippy "${common[@]}" -- -D warnings
echo "xcheck: windows and macos type-check and lint clean"
