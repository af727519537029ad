#!/usr/bin/env bash
# Link benchmarks (docs/benchmarks.md, "Direct links"): time from the first /msg to a direct link, and the PM round
# trip over a direct link next to the same exchange through the server, p50/p99 over EXCHANGES (1000), with real
# p2pchat-rendezvous and p2pchat --headless processes on loopback only. Waits (bounded) for a quiet machine first and
# prints the load average before and after.
#   EXCHANGES=1000 REPEATS=5 QUIET_LOAD=2.0 QUIET_WAIT_SECONDS=120 scripts/bench-links.sh
set -euo pipefail
cd "$(dirname "$0")/.."
QUIET_LOAD=${QUIET_LOAD:-2.0}
QUIET_WAIT_SECONDS=${QUIET_WAIT_SECONDS:-120}
dotnet build Rendezvous -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build Peer -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
waited=0
while awk -v limit="$QUIET_LOAD" '{ exit !($1 > limit) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT_SECONDS" ]; do
  sleep 10
  waited=$((waited + 10))
done
echo "bench-links: $(date -u '+%F %T') UTC, $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for <= $QUIET_LOAD)"
python3 scripts/bench/links.py
echo "bench-links: load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
