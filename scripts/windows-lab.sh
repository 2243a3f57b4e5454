#!/usr/bin/env bash
# The migration's Windows steps, run for real under Wine: the Windows
# baton.exe (built with the `lab` feature, scripts/windows-build.sh lab)
# runs `migrate --to lab-eset --yes --json`, not --simulate, against real
# installers:
#   - stand-ins for Kaspersky Internet Security as MSIs built with wixl, 64-
#     and 32-bit, whose uninstall a custom action (tests/windows-lab/lab-ca.c)
#     can refuse without a password, cancel, or follow with a restart;
#   - a replacement installer (tests/windows-lab/lab-av.nsi) posing as ESET,
#     served over HTTPS on 127.0.0.1 (tests/windows-lab/https-server.py),
#     signed by a test chain made with openssl and osslsigncode, plus an
#     unsigned copy, a tampered one and one signed under another name.
# Each case gets a fresh prefix and checks the exit code, both registry
# views afterwards and the stand-ins' logs (what ran, how often).
#
# What Wine cannot show, and is tested in the simulated scenarios and unit
# tests instead: a declined UAC prompt (everything under Wine is already
# administrator), chain trust and the signer's EKU (Wine's WinVerifyTrust
# accepts any well-formed signature), and Microsoft Defender (absent here:
# the move takes its "cannot read Defender" branch).
#
# Usage: windows-lab.sh [BATON.exe]   (default target/windows-lab/baton.exe)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
lab=$repo/tests/windows-lab
cache="${BATON_CACHE:-$HOME/.cache/baton}"
exe=$(realpath "${1:-target/windows-lab/baton.exe}")
export PATH=/usr/bin:$PATH WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
export WINEPREFIX="$cache/wine-lab-prefix"
work=$(mktemp -d)
server_pid=
baton_pid=
cleanup() {
  [ -z "$baton_pid" ] || kill "$baton_pid" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "windows-lab FAILED: $*"
  for f in "$work"/case.*; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done
  exit 1
}

KIS64='{B1E3B1B4-6C1E-4F3A-9D2C-3A1C1F0A2130}'
KIS32='{B1E3B1B4-6C1E-4F3A-9D2C-3A1C1F0A2131}'
UNINSTALL='Software\Microsoft\Windows\CurrentVersion\Uninstall'
RUN_ONCE='HKCU\Software\Microsoft\Windows\CurrentVersion\RunOnce'

# ── Fixtures ──────────────────────────────────────────────────────────
build=$work/build www=$work/www
mkdir -p "$build" "$www"
"$lab/certs.sh" "$work/certs"
x86_64-w64-mingw32-gcc -O2 -shared -o "$build/lab-ca-x64.dll" "$lab/lab-ca.c" -lmsi
x86_64-w64-mingw32-gcc -O2 -mwindows -o "$build/ekrn.exe" "$lab/ekrn.c"
x86_64-w64-mingw32-gcc -O2 -mwindows -o "$build/payload.exe" "$lab/payload.c"
cp "$build/ekrn.exe" "$build/avp.exe"
cp "$lab/kis.wxs" "$build/"
msi() { (cd "$build" && wixl -a "$1" -D Arch="$1" -D Mode="$2" -D ProductCode="$3" -o "$4" kis.wxs); }
msi x64 plain "$KIS64" kis64-plain.msi
msi x64 password "$KIS64" kis64-password.msi
msi x86 restart "$KIS32" kis32-restart.msi
makensis -V1 -DEKRN="$build/ekrn.exe" -DOUTFILE="$build/unsigned.exe" "$lab/lab-av.nsi"
sign() { osslsigncode sign -certs "$work/certs/$1-chain.pem" -key "$work/certs/$1.key" -h sha256 -n "ESET Security (Baton lab)" -in "$build/unsigned.exe" -out "$build/$2" >/dev/null; }
sign leaf signed.exe
sign other other-signer.exe
# One byte of the signed file's code changed after signing.
cp "$build/signed.exe" "$build/tampered.exe"
printf '\x5a' | dd of="$build/tampered.exe" bs=1 seek=4096 conv=notrunc status=none
cmp -s "$build/signed.exe" "$build/tampered.exe" && fail "the tampered copy is the same as the signed one"

# ── The download server and the lab build's catalog ───────────────────
python3 "$lab/https-server.py" "$www" "$work/certs/tls.pem" "$work/certs/tls.key" "$work/port" 1800 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || fail "the HTTPS server did not start: $(cat "$work/server.log")"
sed "s/@PORT@/$(cat "$work/port")/g" "$lab/catalog.toml" > "$work/catalog.toml"
BATON_LAB_CATALOG=$(winepath -w "$work/catalog.toml" 2>/dev/null)
BATON_LAB_CA=$(winepath -w "$work/certs/tls-ca.pem" 2>/dev/null)
export BATON_LAB_CATALOG BATON_LAB_CA

# ── Helpers ───────────────────────────────────────────────────────────
fresh_prefix() {
  wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  wineboot -i >/dev/null 2>&1
  c="$WINEPREFIX/drive_c"
  mkdir -p "$c/lab"
  rm -f "$work"/case.*
}
install_msi() {
  wine msiexec /i "$(winepath -w "$build/$1" 2>/dev/null)" /qn >/dev/null 2>&1 || fail "msiexec /i $1 failed"
}
# The replacement the server hands out, and the exit code it will give.
serve() {
  cp "$build/$1" "$www/lab-eset-setup.exe"
  printf '%s' "${2:-0}" > "$c/lab/installer-exit.txt"
}
# baton.exe migrate: its JSON in case.json, its exit code in $code.
migrate() {
  code=0
  wine "$exe" migrate --to lab-eset --yes --json "$@" > "$work/case.json" 2> "$work/case.err" || code=$?
}
registered() { wine reg query "HKLM\\$UNINSTALL\\$2" /reg:"$1" >/dev/null 2>&1; }
value() { wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v v="$2" '$1 == v { $1 = ""; $2 = ""; sub(/^  /, ""); print }'; }
runs() { grep -c "$1" "$2" 2>/dev/null || true; }
expect_code() { [ "$code" = "$1" ] || fail "$2: exit code $code, expected $1"; }
expect_json() { jq -e "$1" "$work/case.json" >/dev/null || fail "$2"; }
# A restart as Windows does it: every process ends; at boot Windows runs
# HKLM RunOnce (wineboot -r does that, and deletes the values); at logon
# Explorer starts the HKLM Run entries and runs each HKCU RunOnce value,
# deleting it first (Wine never runs HKCU RunOnce, so this does).
reboot() {
  wineserver -k 2>/dev/null || true
  wine wineboot -r >/dev/null 2>&1
  wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Run' /reg:64 2>/dev/null | tr -d '\r' \
    | awk -F '    ' '$3 == "REG_SZ" { print $4 }' > "$work/run-at-logon"
  while IFS= read -r line; do
    printf 'start "" %s\r\n' "$line" > "$c/lab/logon.bat"
    wine cmd /c 'C:\lab\logon.bat' >/dev/null 2>&1
  done < "$work/run-at-logon"
  resume=$(value "$RUN_ONCE" BatonResume)
  resumed=none
  if [ -n "$resume" ]; then
    wine reg delete "$RUN_ONCE" /v BatonResume /f >/dev/null 2>&1
    printf '%s\r\n' "$resume" > "$c/lab/resume.bat"
    resumed=0
    wine cmd /c 'C:\lab\resume.bat' > "$work/case.resumed" 2>&1 || resumed=$?
  fi
}

# ── 1. KIS (64-bit, and 32-bit with a restart) → the signed replacement ─
case_1() {
  fresh_prefix
  install_msi kis64-plain.msi
  install_msi kis32-restart.msi
  registered 64 "$KIS64" && registered 32 "$KIS32" || fail "case 1: the KIS stand-ins did not register in both views"
  serve signed.exe 0
  migrate
  expect_code 4 "case 1: the uninstaller's restart"
  expect_json '.outcome == "restart_required"' "case 1: the outcome asks for a restart"
  [ -n "$(value "$RUN_ONCE" BatonResume)" ] || fail "case 1: no RunOnce entry to resume after the restart"
  reboot
  [ "$resumed" = 0 ] || fail "case 1: the resumed baton.exe exited $resumed"
  registered 64 "$KIS64" && fail "case 1: KIS is still in the 64-bit view"
  registered 32 "$KIS32" && fail "case 1: KIS is still in the 32-bit view"
  registered 64 ESETLab || fail "case 1: the replacement is not registered"
  [ -z "$(value "$RUN_ONCE" BatonResume)" ] || fail "case 1: the RunOnce entry is still there"
  [ "$(runs ran "$c/lab/installer.log")" = 1 ] || fail "case 1: the installer ran $(runs ran "$c/lab/installer.log") times"
  [ "$(runs 'uninstall plain' "$c/lab/kis-uninstall.log")" = 1 ] || fail "case 1: the 64-bit KIS uninstall ran $(runs 'uninstall plain' "$c/lab/kis-uninstall.log") times"
  echo "windows-lab: 1. KIS (64- and 32-bit, restart) → signed replacement: passed"
}

# ── 2. A password-protected KIS ───────────────────────────────────────
case_2() {
  fresh_prefix
  install_msi kis64-password.msi
  serve signed.exe 0
  migrate
  expect_code 5 "case 2: a password-protected uninstall needs the user"
  expect_json '.outcome == "needs_user" and .help.key == "kavremover_steps"' "case 2: the kavremover help is given"
  registered 64 "$KIS64" || fail "case 2: KIS is no longer registered"
  [ "$(runs 'uninstall password' "$c/lab/kis-uninstall.log")" = 1 ] || fail "case 2: the protected uninstall was tried $(runs 'uninstall password' "$c/lab/kis-uninstall.log") times"
  [ ! -e "$c/lab/installer.log" ] || fail "case 2: something was installed"
  registered 64 ESETLab && fail "case 2: the replacement was installed next to KIS"
  echo "windows-lab: 2. password-protected KIS → stops, kavremover help: passed"
}

# ── 3. Installers that must never run ─────────────────────────────────
case_3() {
  for bad in tampered.exe unsigned.exe other-signer.exe; do
    fresh_prefix
    install_msi kis64-plain.msi
    serve "$bad" 0
    migrate
    expect_code 1 "case 3 ($bad): refused"
    expect_json '.outcome == "failed" and .reason.key == "verification_failed"' "case 3 ($bad): the outcome is a failed verification"
    [ ! -e "$c/lab/installer.log" ] || fail "case 3 ($bad): the installer ran"
    find "$c/users" -name 'lab-eset-setup.exe*' | grep -q . && fail "case 3 ($bad): the refused file was kept"
    registered 64 ESETLab && fail "case 3 ($bad): the replacement is registered"
  done
  echo "windows-lab: 3. tampered, unsigned and wrongly signed installers → refused, deleted, never ran: passed"
}

# ── 4. The installer fails, or asks for a restart ─────────────────────
case_4() {
  fresh_prefix
  install_msi kis64-plain.msi
  serve signed.exe 1603
  migrate
  expect_code 1 "case 4: the installer's 1603"
  expect_json '.reason.key == "installer_failed" and .reason.code == 1603' "case 4: the user is told the installer failed"
  [ "$(runs ran "$c/lab/installer.log")" = 1 ] || fail "case 4: the installer ran $(runs ran "$c/lab/installer.log") times"
  fresh_prefix
  install_msi kis64-plain.msi
  serve signed.exe 3010
  migrate
  expect_code 4 "case 4: the installer's 3010 asks for a restart"
  reboot
  [ "$resumed" = 0 ] || fail "case 4: after the restart baton.exe exited $resumed"
  registered 64 ESETLab || fail "case 4: the replacement is not registered after the restart"
  [ "$(runs ran "$c/lab/installer.log")" = 1 ] || fail "case 4: the installer ran $(runs ran "$c/lab/installer.log") times"
  echo "windows-lab: 4. installer 1603 → failed; 3010 → restart, verified: passed"
}

# ── 5. Already gone: an entry Windows Installer no longer has ─────────
case_5() {
  fresh_prefix
  install_msi kis64-plain.msi
  # Windows Installer forgets the product; its Uninstall entry stays behind,
  # as after a forced removal. msiexec /x would answer 1605.
  wine reg export "HKLM\\$UNINSTALL\\$KIS64" 'C:\lab\stale.reg' /reg:64 /y >/dev/null 2>&1
  wine msiexec /x "$KIS64" /qn >/dev/null 2>&1
  wine reg import 'C:\lab\stale.reg' /reg:64 >/dev/null 2>&1
  registered 64 "$KIS64" || fail "case 5: the stale entry was not put back"
  # The shell sees only an exit code's low byte; cmd prints the whole one.
  answer=$(wine cmd /c "msiexec /x $KIS64 /qn & echo EXIT=%ERRORLEVEL%" 2>/dev/null | tr -d '\r' || true)
  [ "$answer" = EXIT=1605 ] || fail "case 5: msiexec answers $answer for the stale entry, not 1605"
  serve signed.exe 0
  migrate
  expect_code 0 "case 5: a product already gone counts as removed"
  expect_json '[.steps[] | select(.id | startswith("remove:"))] | length == 0' "case 5: nothing was left to remove"
  registered 64 ESETLab || fail "case 5: the replacement is not registered"
  echo "windows-lab: 5. already gone (1605) → counted as removed: passed"
}

# ── 6. baton.exe killed during the install step ───────────────────────
case_6() {
  fresh_prefix
  install_msi kis64-plain.msi
  serve signed.exe 0
  : > "$c/lab/installer-hold"
  wine "$exe" migrate --to lab-eset --yes --json > "$work/case.killed" 2>&1 &
  baton_pid=$!
  for _ in $(seq 600); do [ "$(runs ran "$c/lab/installer.log")" = 1 ] && break; sleep 0.2; done
  [ "$(runs ran "$c/lab/installer.log")" = 1 ] || fail "case 6: the install step never started"
  kill -KILL "$baton_pid"
  wait "$baton_pid" 2>/dev/null || true
  baton_pid=
  : > "$c/lab/installer-go"
  for _ in $(seq 300); do registered 64 ESETLab && break; sleep 0.2; done
  registered 64 ESETLab || fail "case 6: the installer did not finish on its own"
  migrate
  expect_code 0 "case 6: the rerun finishes"
  [ "$(runs ran "$c/lab/installer.log")" = 1 ] || fail "case 6: the installer ran $(runs ran "$c/lab/installer.log") times"
  [ "$(runs 'uninstall plain' "$c/lab/kis-uninstall.log")" = 1 ] || fail "case 6: the uninstall ran $(runs 'uninstall plain' "$c/lab/kis-uninstall.log") times"
  echo "windows-lab: 6. killed during the install, rerun → finished, nothing ran twice: passed"
}

# ── 7. A per-user entry named like Kaspersky never runs ───────────────
case_7() {
  fresh_prefix
  install_msi kis64-plain.msi
  cp "$build/payload.exe" "$c/lab/payload.exe"
  wine reg add "HKCU\\$UNINSTALL\\KasperskyFree" /v DisplayName /d "Kaspersky Free" /f >/dev/null 2>&1
  wine reg add "HKCU\\$UNINSTALL\\KasperskyFree" /v Publisher /d "AO Kaspersky Lab" /f >/dev/null 2>&1
  wine reg add "HKCU\\$UNINSTALL\\KasperskyFree" /v UninstallString /d 'C:\lab\payload.exe /quiet' /f >/dev/null 2>&1
  serve signed.exe 0
  code=0
  wine "$exe" migrate --to lab-eset --json > "$work/case.plan" 2>/dev/null || code=$?
  expect_code 0 "case 7: the plan"
  jq -e 'tostring | test("payload") | not' "$work/case.plan" >/dev/null || fail "case 7: the plan lists the per-user entry's command"
  jq -e '[.steps[] | select(.id | startswith("remove:"))] | length == 1' "$work/case.plan" >/dev/null || fail "case 7: the plan does not remove exactly the per-machine KIS"
  migrate
  [ ! -e "$c/lab/payload-ran" ] || fail "case 7: the per-user entry's program ran"
  registered 64 "$KIS64" && fail "case 7: the per-machine KIS was not removed"
  [ "$(runs 'uninstall plain' "$c/lab/kis-uninstall.log")" = 1 ] || fail "case 7: the per-machine uninstall ran $(runs 'uninstall plain' "$c/lab/kis-uninstall.log") times"
  # The per-user entry stays, so Baton cannot say Kaspersky is gone.
  expect_code 1 "case 7: Kaspersky Free is still listed"
  expect_json '.reason.key == "still_installed"' "case 7: the user is told what is still there"
  echo "windows-lab: 7. per-user entry never runs; the per-machine MSI is removed: passed"
}

# LAB_CASES="2 5" runs only those (for working on one); make test runs all.
for n in ${LAB_CASES:-1 2 3 4 5 6 7}; do
  "case_$n"
done
[ -n "${LAB_CASES:-}" ] || echo "windows-lab: all 7 cases passed"
