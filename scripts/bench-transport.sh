#!/usr/bin/env bash
# Transport benchmarks: bulk throughput against Linux TCP (CUBIC, forced per socket with iperf3 -C: this kernel defaults to BBR) on impaired links between two network namespaces,
# and against raw 1200-byte UDP (iperf3) on loopback (bulk alone, as iperf3; ours with its default path MTU discovery,
# which goes to 8192-byte packets towards loopback, and capped at 1472 as on Ethernet); LiteNetLib 2.1.5 (reliable ordered) as a
# second baseline row on every path; then chat latency in a separate run with a chat stream beside the bulk stream on
# the same connection. Ours runs with the links' packet protection (AEGIS-128L) and path MTU discovery (default), plus a
# row with 1200-byte packets (--no-pmtud) on the impaired links. Before each path it waits (bounded) for a quiet machine
# and prints the load average. Ends with "ratio <path> <ours/baseline>" lines.
#
# Needs root, iproute2 and iperf3 (scripts/install-test-deps.sh). The links are veth + tc netem where the kernel has
# sch_netem, otherwise two TUN devices joined by the driver's userspace netem (P2PChat.Benchmarks transport-link);
# TCP and our transport always share the very same link.
#
# Environment: RUN_SECONDS (20) length of each timed run on the impaired links; BULK_BYTES (unset) run the impaired
# links byte-bounded instead (e.g. 256M; TCP then uses iperf3 -n); LOOPBACK_BYTES (256M); LOOPBACK_ROUNDS (3)
# alternating baseline/ours rounds on loopback, medians reported (the machine may be shared and noisy);
# QUIET_LOAD (1.5) and QUIET_WAIT_SECONDS (120): before each path, wait up to that long for the 1-minute load average
# to drop to that level; PATHS ("1pct 5pct loopback") which paths to run.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_SECONDS=${RUN_SECONDS:-20}
LOOPBACK_BYTES=${LOOPBACK_BYTES:-256M}
LOOPBACK_ROUNDS=${LOOPBACK_ROUNDS:-3}
BULK_BYTES=${BULK_BYTES:-}
QUIET_LOAD=${QUIET_LOAD:-1.5}
PATHS=${PATHS:-1pct 5pct loopback}
QUIET_WAIT_SECONDS=${QUIET_WAIT_SECONDS:-120}
BIN=tests/Benchmarks/bin/Release/net10.0/P2PChat.Benchmarks

[ "$(id -u)" = 0 ] || { echo "bench-transport: needs root (network namespaces)" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "bench-transport: iperf3 missing (scripts/install-test-deps.sh)" >&2; exit 1; }
dotnet build tests/Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

pids=()
namespaces=()
ratios=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT

# wait_quiet: bounded wait for a quiet machine; prints the load average it measures in.
wait_quiet() {
  local waited=0
  while awk -v limit="$QUIET_LOAD" '{ exit !($1 > limit) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT_SECONDS" ]; do
    sleep 5; waited=$((waited + 5))
  done
  echo "  load average $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for <= $QUIET_LOAD)"
}

json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" <<<"$1"; }

netem_available() {
  ip netns add bt-probe && namespaces+=(bt-probe)
  local ok=1
  ip netns exec bt-probe tc qdisc add dev lo root netem delay 1ms 2>/dev/null && ok=0
  ip netns del bt-probe
  return $ok
}
if netem_available; then LINK_KIND="veth+tc-netem"; else LINK_KIND="tun+userspace-netem"; fi

# setup_link NAME SUBNET DELAY_MS LOSS_PERCENT: namespaces bt-NAME-a (10.99.SUBNET.1) and bt-NAME-b (10.99.SUBNET.2).
setup_link() {
  local name=$1 subnet=$2 delay=$3 loss=$4
  A=bt-$name-a B=bt-$name-b ADDR_A=10.99.$subnet.1 ADDR_B=10.99.$subnet.2
  ip netns add "$A"; namespaces+=("$A")
  ip netns add "$B"; namespaces+=("$B")
  ip -n "$A" link set lo up; ip -n "$B" link set lo up
  if [ "$LINK_KIND" = "veth+tc-netem" ]; then
    ip link add veth-a netns "$A" type veth peer name veth-b netns "$B"
    ip -n "$A" addr add "$ADDR_A/24" dev veth-a; ip -n "$A" link set veth-a up
    ip -n "$B" addr add "$ADDR_B/24" dev veth-b; ip -n "$B" link set veth-b up
    ip netns exec "$A" tc qdisc add dev veth-a root netem delay "${delay}ms" loss "${loss}%" limit 100000
    ip netns exec "$B" tc qdisc add dev veth-b root netem delay "${delay}ms" loss "${loss}%" limit 100000
  else
    local fifo; fifo=$(mktemp -u); mkfifo "$fifo"
    "$BIN" transport-link --ns-a "$A" --ns-b "$B" --addr-a "$ADDR_A" --addr-b "$ADDR_B" \
      --delay-ms "$delay" --loss "$(python3 -c "print($loss/100)")" >"$fifo" 2>/dev/null &
    LINK_PID=$!; pids+=("$LINK_PID")
    read -r _ <"$fifo"; rm -f "$fifo"   # "link up: ..."
  fi
}

teardown_link() {
  if [ -n "${LINK_PID:-}" ]; then kill "$LINK_PID" 2>/dev/null || true; wait "$LINK_PID" 2>/dev/null || true; LINK_PID=; fi
  ip netns del "$A"; ip netns del "$B"
}

# run_ours NS_SEND NS_RECV ADDR PORT ARGS...: prints the sender's result line.
run_ours() {
  local ns_send=$1 ns_recv=$2 addr=$3 port=$4; shift 4
  ip netns exec "$ns_recv" "$BIN" transport-recv --bind "$addr:$port" --protect >/dev/null 2>&1 &
  local rpid=$!; pids+=("$rpid")
  sleep 1
  ip netns exec "$ns_send" timeout 600 "$BIN" transport-send --to "$addr:$port" --protect "$@" | grep '^result'
  wait "$rpid" 2>/dev/null || true
}

# run_litenet NS_SEND NS_RECV ADDR PORT ARGS...: LiteNetLib bulk run; prints the sender's result line.
run_litenet() {
  local ns_send=$1 ns_recv=$2 addr=$3 port=$4; shift 4
  ip netns exec "$ns_recv" "$BIN" transport-litenet-recv --bind "$addr:$port" >/dev/null 2>&1 &
  local rpid=$!; pids+=("$rpid")
  sleep 1
  ip netns exec "$ns_send" timeout 600 "$BIN" transport-litenet-send --to "$addr:$port" "$@" | grep '^result' || echo "result MBps=0 failed"
  kill "$rpid" 2>/dev/null || true; wait "$rpid" 2>/dev/null || true
}

impaired_path() {
  local name=$1 subnet=$2 delay=$3 loss=$4; shift 4   # remaining arguments go to our sender (e.g. --packet-size)
  setup_link "$name" "$subnet" "$delay" "$loss"
  wait_quiet
  local limit_tcp=(-t "$RUN_SECONDS") limit_ours=(--seconds "$RUN_SECONDS")
  if [ -n "$BULK_BYTES" ]; then limit_tcp=(-n "$BULK_BYTES"); limit_ours=(--bytes "$BULK_BYTES"); fi
  ip netns exec "$B" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
  pids+=($!)
  sleep 1
  local tcp_json; tcp_json=$(mktemp)
  ip netns exec "$A" iperf3 -c "$ADDR_B" -p 5201 -C cubic "${limit_tcp[@]}" -J >"$tcp_json"
  local tcp_mbps; tcp_mbps=$(json "$tcp_json" "d['end']['sum_received']['bits_per_second']/8e6")
  local retrans; retrans=$(json "$tcp_json" "d['end']['sum_sent'].get('retransmits', 0)")
  rm -f "$tcp_json"
  # Throughput: bulk alone, like iperf3. Chat latency: a second run with a chat stream beside the bulk one.
  local ours; ours=$(run_ours "$A" "$B" "$ADDR_B" 7000 "${limit_ours[@]}" --chat-interval-ms 0 "$@")
  local ours_mbps; ours_mbps=$(field "$ours" MBps)
  local fixed; fixed=$(run_ours "$A" "$B" "$ADDR_B" 7002 "${limit_ours[@]}" --chat-interval-ms 0 --no-pmtud "$@")
  local fixed_mbps; fixed_mbps=$(field "$fixed" MBps)
  local lite; lite=$(run_litenet "$A" "$B" "$ADDR_B" 7003 "${limit_ours[@]}")
  local lite_mbps; lite_mbps=$(field "$lite" MBps)
  printf '%-18s link=%s one-way delay %sms, loss %s%% each way %s\n' "$name" "$LINK_KIND" "$delay" "$loss" "$*"
  printf '  linux tcp cubic:      %8.4f MB/s (%s retransmits)\n' "$tcp_mbps" "$retrans"
  printf '  p2pchat udp (PMTUD):  %8.4f MB/s  %s\n' "$ours_mbps" "${ours#result }"
  printf '  p2pchat udp (1200):   %8.4f MB/s  %s\n' "$fixed_mbps" "${fixed#result }"
  printf '  litenetlib 2.1.5:     %8.4f MB/s  %s\n' "$lite_mbps" "${lite#result }"
  if [ $# -eq 0 ]; then
    local chat; chat=$(run_ours "$A" "$B" "$ADDR_B" 7001 "${limit_ours[@]}" --chat-interval-ms 20)
    printf '  p2pchat bulk + chat:  %8.4f MB/s  %s\n' "$(field "$chat" MBps)" "${chat#result }"
  fi
  ratios+=("ratio $name $(python3 -c "print(f'{$ours_mbps/$tcp_mbps:.2f}')")")
  ratios+=("ratio $name-1200 $(python3 -c "print(f'{$fixed_mbps/$tcp_mbps:.2f}')")")
  ratios+=("ratio $name-litenetlib $(python3 -c "print(f'{$lite_mbps/$tcp_mbps:.2f}')")")
  teardown_link
}

median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

loopback_path() {
  ip netns add bt-lo; namespaces+=(bt-lo)   # a loopback of our own, for both the baseline and ours
  ip -n bt-lo link set lo up
  local raws=() ourses=() eths=() lites=() ours eth lite
  wait_quiet
  for round in $(seq "$LOOPBACK_ROUNDS"); do
    ip netns exec bt-lo iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
    local udp_json; udp_json=$(mktemp)
    ip netns exec bt-lo iperf3 -c 127.0.0.1 -p 5202 -u -b 0 -l 1200 -t 5 -J >"$udp_json"
    raws+=("$(json "$udp_json" "(d['end'].get('sum_received', {}).get('bits_per_second') or d['end']['sum']['bits_per_second']*(1-d['end']['sum']['lost_percent']/100))/8e6")")
    rm -f "$udp_json"
    ours=$(run_ours bt-lo bt-lo 127.0.0.1 7100 --bytes "$LOOPBACK_BYTES" --chat-interval-ms 0)
    ourses+=("$(field "$ours" MBps)")
    eth=$(run_ours bt-lo bt-lo 127.0.0.1 7103 --bytes "$LOOPBACK_BYTES" --chat-interval-ms 0 --max-probe 1472)
    eths+=("$(field "$eth" MBps)")
    lite=$(run_litenet bt-lo bt-lo 127.0.0.1 7102 --bytes "$LOOPBACK_BYTES")
    lites+=("$(field "$lite" MBps)")
    printf '  round %s (load %s): iperf3 -u %8.2f MB/s, p2pchat %8.2f MB/s (1472: %8.2f), litenetlib %8.2f MB/s  %s\n' "$round" \
      "$(cut -d' ' -f1 /proc/loadavg)" "${raws[-1]}" "${ourses[-1]}" "${eths[-1]}" "${lites[-1]}" "${ours#result }"
  done
  local chat; chat=$(run_ours bt-lo bt-lo 127.0.0.1 7101 --bytes "$LOOPBACK_BYTES" --chat-interval-ms 20)
  printf '  bulk + chat: %s\n' "${chat#result }"
  ip netns del bt-lo
  local raw_mbps ours_mbps eth_mbps lite_mbps
  raw_mbps=$(median "${raws[@]}"); ours_mbps=$(median "${ourses[@]}"); eth_mbps=$(median "${eths[@]}"); lite_mbps=$(median "${lites[@]}")
  printf '%-18s %s with AEGIS-128L packet protection and PMTUD, UDP GSO/GRO where available (medians of %s rounds)\n' loopback "$LOOPBACK_BYTES" "$LOOPBACK_ROUNDS"
  printf '  iperf3 -u -b 0 -l 1200 (received): %8.2f MB/s\n' "$raw_mbps"
  printf '  p2pchat udp (PMTUD: 8192 on loopback): %8.2f MB/s\n' "$ours_mbps"
  printf '  p2pchat udp (PMTUD capped at 1472):  %8.2f MB/s\n' "$eth_mbps"
  printf '  litenetlib 2.1.5 (no encryption):   %8.2f MB/s\n' "$lite_mbps"
  ratios+=("ratio loopback-protected $(python3 -c "print(f'{$ours_mbps/$raw_mbps:.2f}')")")
  ratios+=("ratio loopback-protected-1472 $(python3 -c "print(f'{$eth_mbps/$raw_mbps:.2f}')")")
  ratios+=("ratio loopback-litenetlib $(python3 -c "print(f'{$lite_mbps/$raw_mbps:.2f}')")")
}

echo "transport benchmark $(date -u +%FT%TZ) on $(nproc) cores, kernel $(uname -r), link: $LINK_KIND"
case " $PATHS " in *" 1pct "*) impaired_path netem-1pct-40ms 201 20 1 ;; esac
case " $PATHS " in *" 5pct "*) impaired_path netem-5pct-100ms 202 50 5 ;; esac
case " $PATHS " in *" loopback "*) loopback_path ;; esac
printf '%s\n' "${ratios[@]}"
