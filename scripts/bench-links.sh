#!/usr/bin/env bash
# Link benchmarks (docs/benchmarks.md, "Direct links"), one line per figure:
#   ttl       in the real NAT lab (root): time from the first /msg to a friend without a link until the direct link
#             carries a PM, on cone<->cone with 20 ms and 100 ms RTT, against "2 RTT + 100 ms after the introduction"
#   table     in the real NAT lab (root): each NAT-pair scenario of issue 11 (1-7; 8 is 3 with both peers mapping) repeated, outcome/route/via/time to
#             link and the success rate (direct where the pair can be direct, relay where it cannot)
#   loopback  on loopback: time to direct, and the PM round trip over a direct link next to the same exchange through
#             the server (p50/p99 over --exchanges)
#   footprint on loopback: a headless peer's wall and CPU time from process start to signed in, and its resident memory
#             after sitting idle (scripts/bench/peer_footprint.py; PEERS=5 IDLE_SECONDS=10); not part of "all"
# The peer and server run as deployed: their ReadyToRun publishes (scripts/programs.sh), the plain builds with P2PCHAT_JIT=1.
# Waits (bounded) for a quiet machine before each part and prints the load average before and after it.
#
#   scripts/bench-links.sh                       everything, 20 repetitions (what the docs report)
#   scripts/bench-links.sh --repeat 5 --part table --scenarios 1,4
#   options: --repeat N (20)  --rtt 20,100  --scenarios 1,2,3,4,5,6,7,8  --part ttl|table|loopback|footprint|all (all)
#            --exchanges N (1000)  --timeout S (40, per link)  --quiet-load L (2.0)  --quiet-wait S (120)  --skip-build
#            LINKS_TRACE=1 (environment): ttl/table also print, per repetition, both peers' introductions and phases
#            lined up with the first packets each router sent (where a link's time goes)
#            --baseline DIR  loopback, footprint and ttl: A/B in one run, DIR (another built checkout, e.g. main) and this
#                            tree alternately, 2 rounds each (--rounds N), so the load hits both the same; this tree's
#                            drivers run both trees' programs (DIR's ReadyToRun publishes where it has them)
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=20 RTT=20,100 SCENARIOS=1,2,3,4,5,6,7,8 PART=all EXCHANGES=${EXCHANGES:-1000} TIMEOUT=40
QUIET_LOAD=${QUIET_LOAD:-2.0} QUIET_WAIT_SECONDS=${QUIET_WAIT_SECONDS:-120} BUILD=yes BASELINE="" ROUNDS=2
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) REPEAT=$2; shift 2 ;;
    --rtt) RTT=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --part) PART=$2; shift 2 ;;
    --exchanges) EXCHANGES=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --quiet-load) QUIET_LOAD=$2; shift 2 ;;
    --quiet-wait) QUIET_WAIT_SECONDS=$2; shift 2 ;;
    --skip-build) BUILD=no; shift ;;
    --baseline) BASELINE=$(cd "$2" && pwd); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "bench-links: unknown option '$1'" >&2; usage 2 ;;
  esac
done
case "$PART" in ttl|table|loopback|footprint|all) ;; *) echo "bench-links: --part must be ttl, table, loopback, footprint or all" >&2; exit 2 ;; esac

if [ "$BUILD" = yes ]; then   # the programs as deployed: ReadyToRun publishes (scripts/programs.sh; P2PCHAT_JIT=1: plain builds)
  . scripts/programs.sh
  publish_programs
  # The baseline's server runs as deployed too (published ReadyToRun), so an A/B differs only by the peer, which runs
  # as the baseline has it (its own publish if it has one, else its plain build).
  if [ -n "$BASELINE" ]; then publish_program "$BASELINE" Rendezvous p2pchat-rendezvous; fi
fi

quiet() {   # bounded wait for a load average at or below QUIET_LOAD, then one line saying how loaded the machine is
  local waited=0
  while awk -v limit="$QUIET_LOAD" '{ exit !($1 > limit) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT_SECONDS" ]; do
    sleep 10
    waited=$((waited + 10))
  done
  echo "bench-links: $1 at $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for <= $QUIET_LOAD)"
}

lab() {
  if [ "$(id -u)" != 0 ]; then echo "bench-links: $1 skipped: the lab needs root (network namespaces)"; return; fi
  quiet "$1"
  if [ -z "$BASELINE" ] || [ "$1" != ttl ]; then
    python3 scripts/bench/links_lab.py --part "$1" --repeat "$REPEAT" --rtt "$RTT" --scenarios "$SCENARIOS" --timeout "$TIMEOUT"
  else
    for round in $(seq 1 "$ROUNDS"); do
      for tree in "$BASELINE" "$PWD"; do
        echo "bench-links: ttl round $round, $tree, load average $(cut -d' ' -f1-3 /proc/loadavg)"
        P2PCHAT_TREE=$tree python3 scripts/bench/links_lab.py --part ttl --repeat "$REPEAT" --rtt "$RTT" --timeout "$TIMEOUT"
      done
    done
  fi
  echo "bench-links: $1 done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

case "$PART" in ttl|all) lab ttl ;; esac
case "$PART" in table|all) lab table ;; esac
case "$PART" in loopback|all)
  quiet loopback
  if [ -z "$BASELINE" ]; then
    EXCHANGES=$EXCHANGES REPEATS=$REPEAT python3 scripts/bench/links.py
  else
    for round in $(seq 1 "$ROUNDS"); do
      for tree in "$BASELINE" "$PWD"; do
        echo "bench-links: loopback round $round, $tree, load average $(cut -d' ' -f1-3 /proc/loadavg)"
        P2PCHAT_TREE=$tree EXCHANGES=$EXCHANGES REPEATS=1 python3 scripts/bench/links.py | grep -E "peer program|time to direct|direct link|via server|slowest|CPU|memory|ratio|time to link from|warm"
      done
    done
  fi
  echo "bench-links: loopback done, load average $(cut -d' ' -f1-3 /proc/loadavg)" ;;
esac
case "$PART" in footprint)
  quiet footprint
  for round in $(seq 1 "$ROUNDS"); do
    for tree in $BASELINE "$PWD"; do
      echo "bench-links: footprint round $round, $tree, load average $(cut -d' ' -f1-3 /proc/loadavg)"
      P2PCHAT_TREE=$tree python3 scripts/bench/peer_footprint.py
    done
  done
  echo "bench-links: footprint done, load average $(cut -d' ' -f1-3 /proc/loadavg)" ;;
esac
