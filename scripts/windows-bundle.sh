#!/usr/bin/env bash
# The Windows installer a user double-clicks: builds the release programs
# (scripts/windows-build.sh), then Baton_<version>_x64-setup.exe with
# Debian's makensis from installer/windows/baton.nsi, into target/windows/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/windows-build.sh release
version=$(jq -r .version src-tauri/tauri.conf.json)
out="target/windows/Baton_${version}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
  -DVERSION="$version" -DSOURCE="$PWD/target/windows" -DICON="$PWD/icons/icon.ico" -DOUTFILE="$PWD/$out" \
  installer/windows/baton.nsi
size=$(stat -c %s "$out")
echo "windows-bundle: $out ($((size / 1024)) KiB)"
# The size Baton aims for: a download a home user does not wait on.
[ "$size" -lt $((8 * 1024 * 1024)) ] || { echo "windows-bundle: the installer is over 8 MiB"; exit 1; }
