#!/usr/bin/env bash
# Run the Windows collector for real: the release baton.exe (built by
# scripts/windows-build.sh), in a fresh Wine prefix with a Kaspersky-like install in it
# (registry entries in both views, a service, a kernel driver, a running
# avp.exe), and check that `baton.exe scan --json` reports ONE merged finding
# and nothing from Wine's own programs and services.
#
# Usage: wine-test.sh [BATON.exe]   (default target/windows/baton.exe)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
cache="${BATON_CACHE:-$HOME/.cache/baton}"
# The release baton.exe that the installer ships (scripts/windows-build.sh).
exe=$(realpath "${1:-target/windows/baton.exe}")
export PATH=/usr/bin:$PATH

export WINEPREFIX="$cache/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
rm -rf "$WINEPREFIX"
wineboot -i >/dev/null 2>&1
work=$(mktemp -d)
avp_pid=
cleanup() {
  [ -n "$avp_pid" ] && kill "$avp_pid" 2>/dev/null || true
  wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# regedit writes UTF-16LE with a BOM; so does this fixture once converted.
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$repo/tests/wine/kaspersky.reg"; } > "$work/fixture.reg"
wine reg import "$(winepath -w "$work/fixture.reg")" >/dev/null 2>&1
wine sc create AVP21.3 binPath= 'C:\windows\system32\notepad.exe' DisplayName= "Kaspersky Anti-Virus Service 21.3" >/dev/null
wine sc create klif type= kernel binPath= 'C:\windows\system32\drivers\klif.sys' DisplayName= "Kaspersky Lab Driver" >/dev/null
# A small program named avp.exe, running while the scan looks: Wine's cmd.exe
# under another name, waiting on a pipe that stays open.
cp "$WINEPREFIX/drive_c/windows/system32/cmd.exe" "$work/avp.exe"
sleep 300 | wine "$work/avp.exe" >/dev/null 2>&1 &
avp_pid=$!
for _ in $(seq 50); do
  wine "$exe" collect 2>/dev/null | jq -e '.processes | any(.name == "avp.exe")' >/dev/null && break
  sleep 0.2
done

wine "$exe" scan --json > "$work/result.json"
wine "$exe" status --today 2026-11-28 --json > "$work/status.json"
jq . "$work/result.json" > /dev/null
check() {
  local file="${3:-$work/result.json}"
  if ! jq -e "$1" "$file" >/dev/null; then
    echo "wine-test FAILED: $2"; jq . "$file"; exit 1
  fi
}
check '.findings | length == 1' "exactly one finding (no false positives from Wine or the lookalikes)"
check '.findings[0].vendor == "kaspersky" and .findings[0].product == "Антивирус Касперского"' "the Russian product name, intact"
check '.findings[0].version == "21.3.10.391"' "the version"
check '[.findings[0].evidence[].source] | unique == ["driver","process","program","service"]' "program, service, driver and process evidence merged"
check '[.findings[0].evidence[] | select(.source == "program")] | length == 2' "both registry views read"
check '.findings[0].running == true' "avp.exe seen running"
check '.warnings | any(test("Security Center|SecurityCenter2"))' "the Security Center fallback reported as a warning"
# The verdict through the Windows build: Kaspersky present, definitions 790 days old.
check '.status == "at_risk" and .next_step_key.key == "replace_kaspersky"' "status: at risk, replace Kaspersky" "$work/status.json"
check '.reasons[0] | test("790 days")' "status: the age of Kaspersky's definitions" "$work/status.json"
# The migration engine in the Windows build, on a simulated machine.
wine "$exe" migrate --simulate scenarios/kis-to-bitdefender.json --yes --json --today 2026-11-28 > "$work/migrate.json" 2>/dev/null || true
check '.outcome == "completed" and .exit_code == 0 and .final_status == "protected" and .simulated_restarts == 1' "migrate: KIS to Bitdefender, across a restart" "$work/migrate.json"
jq -c '.findings[] | {vendor, product, version, running, evidence: [.evidence[].detail]}' "$work/result.json"
jq -r '.warnings[] | "warning: " + .' "$work/result.json"
echo "wine-test: scan, status and migrate passed"
