#!/usr/bin/env bash
# Room benchmarks (docs/benchmarks.md, "Rooms"): messages per second and delivery latency p50/p99 through peer-hosted
# rooms of 10 and 50 members next to the same traffic through an invite-only channel on the rendezvous server, and
# failover over 20 SIGKILLs of the host (time until a message sent at once is shown at every survivor), with real
# p2pchat-rendezvous and p2pchat --headless processes (one per member) on loopback only. Waits (bounded) for a quiet
# machine first and prints the load average before and after.
#   SIZES="10 50" MESSAGES=200 SENDERS=5 KILLS=20 QUIET_LOAD=2.0 QUIET_WAIT_SECONDS=120 scripts/bench-rooms.sh
# BATCH=N signs up N peers at a time (default 5); TREE=/path/to/checkout runs that checkout's Release build of the peer
# and the server instead of this one's (build it first with `dotnet build Peer -c Release` and the same for
# Rendezvous): run once with TREE and once without, back to back, for an A/B in one window. Every figure is printed
# with the load average; `cpu ms/msg` (CPU time of the members and the server per message) is the load-robust one.
# ROOM_FIRST=1 measures the room before the channel (a room of 50's channel phase may not finish on 2 cores);
# LIGHT=1 runs the peers with a lighter runtime configuration (scripts/bench/rooms.py).
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
echo "bench-rooms: $(date -u '+%F %T') UTC, $(nproc) cores, load average at start $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for <= $QUIET_LOAD)"
python3 scripts/bench/rooms.py
echo "bench-rooms: load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
