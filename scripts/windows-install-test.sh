#!/usr/bin/env bash
# The Windows installer under Wine, in a fresh prefix: a silent install puts
# the files, the Start-menu shortcut and the Uninstall entry in place; the
# installed baton.exe scans and does not report Baton itself; the silent
# uninstaller removes everything the installer and the app wrote, and keeps
# the migration journal only while a move is unfinished.
#
# Usage: windows-install-test.sh SETUP.exe
set -euo pipefail
cd "$(dirname "$0")/.."
setup=$(realpath "${1:?usage: $0 SETUP.exe}")
cache="${BATON_CACHE:-$HOME/.cache/baton}"
export WINEPREFIX="$cache/wine-install-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
export PATH=/usr/bin:$PATH
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
trap 'wineserver -k 2>/dev/null || true' EXIT
c="$WINEPREFIX/drive_c"
dir="$c/Program Files/Baton"
uninstall_key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Baton'
fail() { echo "windows-install-test FAILED: $*"; exit 1; }
# NSIS setups and uninstallers exit 0, 1 or 2: the low byte the shell sees is the whole code.
winrun() { local code=0; wine "$@" >/dev/null 2>&1 || code=$?; echo $code; }
value() { wine reg query "$1" /v "$2" /reg:64 2>/dev/null | tr -d '\r' | awk -v v="$2" '$1 == v { $1 = ""; $2 = ""; sub(/^  /, ""); print }'; }

install() {
  code=$(winrun "$setup" /S)
  [ "$code" = 0 ] || fail "the silent install exited $code"
  wineserver -w
  for f in baton-app.exe baton.exe WebView2Loader.dll uninstall.exe; do
    [ -f "$dir/$f" ] || fail "$f was not installed"
  done
  [ -f "$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Baton.lnk" ] || fail "no Start-menu shortcut for all users"
  for v in DisplayName Publisher DisplayVersion DisplayIcon UninstallString QuietUninstallString EstimatedSize; do
    [ -n "$(value "$uninstall_key" $v)" ] || fail "the Uninstall entry has no $v"
  done
  [ "$(value "$uninstall_key" DisplayName)" = Baton ] || fail "DisplayName is not Baton"
  [ "$(value "$uninstall_key" DisplayVersion)" = "$(jq -r .version src-tauri/tauri.conf.json)" ] || fail "DisplayVersion is not the app's version"
  [ "$(value "$uninstall_key" QuietUninstallString)" = '"C:\Program Files\Baton\uninstall.exe" /S' ] || fail "QuietUninstallString: $(value "$uninstall_key" QuietUninstallString)"
}

# What the app leaves for its user: start at login, a resume after restart,
# the webview's data, and Baton's own data with a journal.
app_was_used() {
  local finished=$1 local_app
  wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' /v Baton /d '"C:\Program Files\Baton\baton-app.exe" --hidden' /f >/dev/null 2>&1
  wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\RunOnce' /v BatonResume /d '"C:\Program Files\Baton\baton.exe" migrate --to microsoft-defender --yes' /f >/dev/null 2>&1
  local_app=$(winepath -u "$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')")
  mkdir -p "$local_app/Baton/downloads/x" "$local_app/org.baton.app/EBWebView"
  echo installer > "$local_app/Baton/downloads/x/setup.exe"
  jq -n --argjson finished "$finished" '{format: "baton-journal/1", steps: [], finished_at: (if $finished then "2026-11-28T10:00:00Z" else null end)}' > "$local_app/Baton/migration.json"
  echo "$local_app"
}

uninstall() {
  code=$(winrun "$dir/uninstall.exe" /S '_?=C:\Program Files\Baton')
  [ "$code" = 0 ] || fail "the silent uninstall exited $code"
  wineserver -w
  # With _?= the uninstaller runs from the install folder, and Windows does
  # not let it delete itself (Wine does): everything else must be gone.
  for f in baton-app.exe baton.exe WebView2Loader.dll; do
    [ ! -e "$dir/$f" ] || fail "$f is still installed"
  done
  if [ -e "$dir" ]; then
    rm -f "$dir/uninstall.exe"
    rmdir "$dir" 2>/dev/null || fail "files left in the install folder: $(ls "$dir")"
  fi
  [ ! -e "$c/ProgramData/Microsoft/Windows/Start Menu/Programs/Baton.lnk" ] || fail "the shortcut is still there"
  wine reg query "$uninstall_key" /reg:64 >/dev/null 2>&1 && fail "the Uninstall entry is still there"
  [ -z "$(value 'HKCU\Software\Microsoft\Windows\CurrentVersion\Run' Baton)" ] || fail "the start-at-login entry is still there"
  [ -z "$(value 'HKCU\Software\Microsoft\Windows\CurrentVersion\RunOnce' BatonResume)" ] || fail "the resume entry is still there"
}

install
scan=$(wine "$dir/baton.exe" scan --json 2>/dev/null)
echo "$scan" | jq -e '.findings | type == "array"' >/dev/null || fail "the installed baton.exe scan --json did not run: $scan"
echo "$scan" | jq -e '[.findings[] | select((.product + " " + .vendor) | test("baton"; "i"))] | length == 0' >/dev/null || fail "the scan reports Baton itself: $scan"

local_app=$(app_was_used true)
uninstall
[ ! -e "$local_app/Baton" ] || fail "Baton's data is still there after a finished move"
[ ! -e "$local_app/org.baton.app" ] || fail "the webview's data is still there"

install
local_app=$(app_was_used false)
uninstall
[ -f "$local_app/Baton/migration.json" ] || fail "the journal of an unfinished move was deleted"
[ ! -e "$local_app/Baton/downloads" ] || fail "downloads were kept with the unfinished journal"
echo "windows-install-test: install, scan, uninstall (journal kept only while a move is unfinished) passed"
