#!/usr/bin/env bash
# Whole-command timing: `baton scan --snapshot` on the 20,000-program
# snapshot that `cargo bench` writes, against jq filtering the same file for
# "kaspersky", and a live `baton scan` of this machine. Medians of 20 runs.
set -euo pipefail
cd "$(dirname "$0")/.."
snap=target/bench-snapshot.json
[ -f "$snap" ] || { echo "run 'cargo bench -p baton-core' first to write $snap"; exit 1; }
cargo build --locked --release -q -p baton-cli
median_ms() {
  local times=()
  for _ in $(seq 20); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 10p | awk '{printf "%.2f ms", $1/1000}'
}
echo "baton scan --snapshot (20k programs):   $(median_ms target/release/baton scan --json --snapshot "$snap")"
echo "jq filter for \"kaspersky\" (same file):  $(median_ms jq '[(.programs[], .services[], .processes[]) | select((.name // "") | ascii_downcase | contains("kaspersky"))]' "$snap")"
echo "baton scan of this machine (live):       $(median_ms target/release/baton scan --json)"
