#!/usr/bin/env bash
# Installs the deb built by `make bundle` with apt-get, the way a user's
# package manager would (dependencies resolved from the deb's own list), then
# starts the installed binary under Xvfb and checks that its window appears.
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$(ls -t target/release/bundle/deb/*.deb | head -1)"
[[ -f "$deb" ]] || { echo "deb-test: no deb; run make bundle"; exit 1; }
as_root=()
[[ "$(id -u)" == 0 ]] || as_root=(sudo)
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --reinstall "./$deb" >/dev/null
test -x /usr/bin/baton-app || { echo "deb-test: /usr/bin/baton-app missing after install"; exit 1; }
dpkg-query -W -f='deb-test: installed ${Package} ${Version}, depends on ${Depends}\n' baton
(cd ui && BATON_APP=/usr/bin/baton-app xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session node e2e/run.mjs --smoke 2>&1 | grep -E "^e2e" )
echo "deb-test: $(du -h "$deb" | cut -f1) $(basename "$deb")"
