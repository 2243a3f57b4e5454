#!/usr/bin/env bash
# Build Baton's Windows programs on this Linux machine: baton-app.exe (the
# desktop app, its UI inside) and baton.exe, for x86_64-win7-windows-gnu with
# Debian's Rust toolchain and MinGW.
#
# Why this target: the plain windows-gnu std imports bcryptprimitives.dll,
# which Wine 8.0 lacks, and the programs are run under Wine in `make test`.
# Debian's rustc pairs with its std sources, so -Zbuild-std can build std for
# a target rustup cannot fetch offline.
#
# Usage: windows-build.sh [release|lab]
#   release  baton-app.exe and baton.exe as they ship (target/windows/)
#   lab      baton.exe with the `lab` feature, for scripts/windows-lab.sh only
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${BATON_CACHE:-$HOME/.cache/baton}"
kind="${1:-release}"
export PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_X86_64_WIN7_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
target=x86_64-win7-windows-gnu
dir="$cache/windows-build"
std=(-Zbuild-std=std,panic_abort --target $target --target-dir "$dir")
# The cache is shared by every checkout, and cargo names a workspace crate's
# output by its path inside the workspace: rebuild Baton's own crates each time.
clean() { /usr/bin/cargo clean --quiet -Zbuild-std --target $target --target-dir "$dir" --release "$@"; }
case "$kind" in
  release)
    clean -p baton-core -p baton-system -p baton-cli -p baton-app
    /usr/bin/cargo build --locked --release "${std[@]}" -p baton-app --features baton-app/custom-protocol -p baton-cli
    out=target/windows
    mkdir -p "$out"
    cp "$dir/$target/release/baton-app.exe" "$dir/$target/release/baton.exe" "$out/"
    # webview2-com-sys links the WebView2 loader dynamically on windows-gnu
    # and leaves the DLL beside the build; the app cannot start without it.
    loader=$(find "$dir/$target/release" -name WebView2Loader.dll -path '*x64*' -print -quit)
    [ -n "$loader" ] || loader=$(find "$dir/$target/release" -name WebView2Loader.dll -print -quit)
    [ -n "$loader" ] || { echo "windows-build: WebView2Loader.dll was not produced"; exit 1; }
    cp "$loader" "$out/"
    ls -l "$out"
    ;;
  lab)
    clean -p baton-core -p baton-system -p baton-cli
    /usr/bin/cargo build --locked --release "${std[@]}" -p baton-cli --features baton-cli/lab
    mkdir -p target/windows-lab
    cp "$dir/$target/release/baton.exe" target/windows-lab/baton.exe
    ;;
  *) echo "usage: $0 [release|lab]"; exit 2 ;;
esac
