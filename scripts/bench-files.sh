#!/usr/bin/env bash
# File transfer benchmarks. Parts (--part, default all):
#   loopback  1 GiB through the file sessions over a Noise-keyed UDP link on loopback (one process, files-bench), next
#             to iperf3 TCP, a plain .NET TCP copy and the link's raw stream throughput, all measured in the same run;
#             the chat round trip on the same link during the transfer; peak RSS (both sides in one process) and CPU
#             seconds per GiB. Then the same file between two processes (files-send / files-recv) over the UDP transport
#             with the links' packet protection and over the TCP path, each side's peak RSS measured apart.
#   impaired  256 MiB between two network namespaces over a link with 1 % loss each way and 40 ms RTT (veth + tc netem
#             where the kernel has sch_netem, else two TUN devices joined by the userspace netem of bench-transport.sh),
#             next to Linux TCP (iperf3 -C cubic -n) on the very same link. Needs root and iperf3.
#   chat      two headless p2pchat processes with a direct link on loopback: PM round trips idle, then during a /send
#             of BYTES (scripts/bench/files_chat.py); per-peer peak RSS and CPU per GiB. With --baseline DIR (another
#             checkout, e.g. main): an A/B in one run, DIR's peers and this tree's alternately, --rounds N (2) each, so
#             the load hits both alike; this tree's programs are published ReadyToRun first, and DIR's too unless DIR
#             holds a completed publish of both (then it is used as it is: a shared baseline is never rebuilt), with
#             P2PCHAT_JIT=1 the plain builds.
#   two-process  (needs --baseline DIR) an A/B of the two-process UDP row alone (files-recv / files-send --protect on
#             127.0.0.1, BYTES of random data): --rounds N rounds, DIR's programs and this tree's in alternating order,
#             each side's CPU seconds and peak RSS apart (so the receiver's and the sender's per-byte work show
#             separately; the sender's includes its manifest pass before the offer).
#   With --baseline DIR, loopback is an A/B too: --rounds N (2) rounds, each running iperf3 and then one tree's
#             files-bench transfer, DIR's and this tree's, in alternating order (DIR first in odd rounds, this tree
#             first in even ones), so each transfer has its own same-moment iperf3 ratio; DIR's benchmark program must
#             be built already (tests/Benchmarks, Release): it is run, never built. No baselines or two-process rows.
# Ends with "ratio ..." lines. Results go to docs/benchmarks.md by hand.
#
# Options: --help; --part loopback|impaired|chat|two-process|all (all: not two-process); --bytes N (BYTES, 1073741824) for loopback and chat;
# --impaired-bytes N (268435456); --baseline DIR and --rounds N (loopback and chat). Environment: BENCH_QUIET_WAIT (120) seconds
# to wait at most for a load average below the core count; P2PCHAT_FILES_DIRECT_IO=0 makes the receiver write through
# the page cache (the pre-session-9 path), for an A/B.
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BYTES:-1073741824}
IMPAIRED_BYTES=${IMPAIRED_BYTES:-268435456}
PART=all
BASELINE=""
ROUNDS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --part) PART=$2; shift 2 ;;
    --bytes) BYTES=$2; shift 2 ;;
    --impaired-bytes) IMPAIRED_BYTES=$2; shift 2 ;;
    --baseline) BASELINE=$(cd "$2" && pwd); shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{s/^# \{0,1\}//p}' "$0" | grep -v '^set -euo'; exit 0 ;;
    *) echo "bench-files: unknown option $1 (--part loopback|impaired|chat|all, --bytes N, --impaired-bytes N)" >&2; exit 2 ;;
  esac
done
case "$PART" in loopback|impaired|chat|two-process|all) ;; *) echo "bench-files: --part must be loopback, impaired, chat, two-process or all" >&2; exit 2 ;; esac
[ "$PART" != two-process ] || [ -n "$BASELINE" ] || { echo "bench-files: --part two-process needs --baseline DIR" >&2; exit 2; }
QUIET_WAIT=${BENCH_QUIET_WAIT:-120}
BIN=tests/Benchmarks/bin/Release/net10.0/P2PChat.Benchmarks
# The benchmark processes run the file code with the runtime settings of the peer executable (Peer/Peer.csproj:
# no dynamic PGO, whose instrumented tier kept hot code such as BLAKE3 at tier 0 for seconds into a transfer).
export DOTNET_TieredPGO=0
dotnet build tests/Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
case "$PART" in chat|all)
  # The peers run as deployed: the ReadyToRun publishes of scripts/programs.sh where the tree has it (P2PCHAT_JIT=1:
  # the plain builds), which scripts/bench/headless_peer.py then picks up.
  if [ -f scripts/programs.sh ]; then
    . scripts/programs.sh
    publish_programs peer server >/dev/null
    stamp=bin/Release/net10.0/$PROGRAMS_RID/r2r/$PROGRAMS_STAMP
    if [ -n "$BASELINE" ] && { [ "${P2PCHAT_JIT:-0}" = 1 ] || [ ! -f "$BASELINE/Peer/$stamp" ] || [ ! -f "$BASELINE/Rendezvous/$stamp" ]; }; then
      publish_program "$BASELINE" Peer p2pchat
      publish_program "$BASELINE" Rendezvous p2pchat-rendezvous
    fi
  else
    dotnet build Peer -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
    dotnet build Rendezvous -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
  fi ;;
esac

pids=()
namespaces=()
work=$(mktemp -d "/tmp/bench-files-$$-XXXX")
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for n in "${namespaces[@]}"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT   # so the EXIT trap cleans up when the run is stopped

quiet() {
  for _ in $(seq 1 "$QUIET_WAIT"); do
    awk -v cores="$(nproc)" '{ exit !($1 < cores) }' /proc/loadavg && break
    sleep 1
  done
  echo "# $1: $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
random_file() { head -c "$2" /dev/urandom >"$1"; }
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# two_process LABEL LAUNCH_RECV LAUNCH_SEND ADDR FILE TRANSPORT_ARGS...: files-recv and files-send as two processes,
# each under /usr/bin/time -v; prints the sender's result, both peak RSS figures and both CPU times; sets TWO_MBPS.
# TWO_BIN: the benchmark program to run (this tree's by default).
two_process() {
  local label=$1 launch_recv=$2 launch_send=$3 addr=$4 file=$5; shift 5
  local bin=${TWO_BIN:-$BIN}
  local port; port=$(free_port)
  rm -rf "$work/in"
  $launch_recv /usr/bin/time -v -o "$work/recv.time" "$bin" files-recv --bind "$addr:$port" --dir "$work/in" "$@" >/dev/null 2>"$work/recv.err" &
  local rpid=$!; pids+=("$rpid")
  for _ in $(seq 1 100); do grep -q listening "$work/recv.err" 2>/dev/null && break; sleep 0.1; done
  # A cap that scales with the size: 256 MiB over the impaired link moves at ~0.3 MB/s (about 15 minutes).
  local cap=$(( $(stat -c %s "$file") / 100000 + 900 ))
  local out; out=$($launch_send /usr/bin/time -v -o "$work/send.time" timeout "$cap" "$bin" files-send --to "$addr:$port" --file "$file" "$@" | grep '^result' || echo "result MBps=0 failed")
  wait "$rpid" 2>/dev/null || true
  rss() { awk -F: '/Maximum resident/ { printf "%.0f", $2 / 1000 }' "$1" 2>/dev/null; }
  cpu() { awk -F: '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1" 2>/dev/null; }
  TWO_MBPS=$(field "$out" MBps)
  cmp -s "$file" "$work/in/$(basename "$file")" && ok=intact || ok=MISMATCH
  printf '  %-28s %9.2f MB/s  peak RSS sender %s MB, receiver %s MB, CPU sender %s s, receiver %s s, file %s\n' "$label" "$TWO_MBPS" \
    "$(rss "$work/send.time")" "$(rss "$work/recv.time")" "$(cpu "$work/send.time")" "$(cpu "$work/recv.time")" "$ok"
}
ratios=()

# iperf3_mbps: one iperf3 TCP run of BYTES on 127.0.0.1 (sets iperf, empty without iperf3).
iperf3_mbps() {
  iperf=""
  command -v iperf3 >/dev/null || return 0
  local port; port=$(free_port)
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 1 50); do iperf3 -c 127.0.0.1 -p "$port" -n 1K >/dev/null 2>&1 && break; sleep 0.1; done
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  sleep 0.2
  iperf=$(iperf3 -c 127.0.0.1 -p "$port" -n "$BYTES" -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8e6,1))' || true)
  echo "iperf3_tcp_mbps=$iperf"
}

# loopback_ab: --baseline DIR given: per round, iperf3 then one tree's transfer, both trees in alternating order.
loopback_ab() {
  local base_bin="$BASELINE/$BIN" round tree bin out
  [ -x "$base_bin" ] || { echo "bench-files: $base_bin is missing: build tests/Benchmarks (Release) in $BASELINE first" >&2; exit 2; }
  quiet "loopback A/B ($BYTES bytes, $ROUNDS rounds)"
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order=("$BASELINE" "$PWD"); else order=("$PWD" "$BASELINE"); fi
    for tree in "${order[@]}"; do
      echo "# loopback round $round, $tree, load average $(cut -d' ' -f1-3 /proc/loadavg)"
      iperf3_mbps
      bin="$tree/$BIN"
      out=$( { /usr/bin/time -v "$bin" files-bench "$BYTES" transfer; } 2>&1 )
      grep -E '^(manifest_s|transfer_|cpu_|peak_|chat_rtt|file_ok)' <<<"$out" || true
      local transfer; transfer=$(sed -n 's/^transfer_mbps=//p' <<<"$out")
      [ -n "$iperf" ] && [ -n "$transfer" ] && ratios+=("ratio transfer/iperf3_tcp $(python3 -c "print(round($transfer/$iperf, 3))") round $round $tree")
    done
  done
}

loopback_part() {
  if [ -n "$BASELINE" ]; then loopback_ab; return; fi
  quiet loopback
  echo "# $BYTES bytes"
  iperf3_mbps

  base=$("$BIN" files-bench "$BYTES" baselines)
  echo "$base"
  out=$( { /usr/bin/time -v "$BIN" files-bench "$BYTES" transfer; } 2>&1 )
  grep '=' <<<"$out" | grep -v ':' || true
  grep -E '=|Maximum resident' <<<"$out" | grep -E 'chat_|Maximum resident' || true
  set +e  # the report below must not stop half-way on one missing figure
  value() { printf '%s\n%s\n' "$base" "$out" | awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2); exit }'; }
  transfer=$(value transfer_mbps)
  for b in tcp_mbps stream_mbps; do
    v=$(value "$b"); [ -n "$v" ] && ratios+=("$(python3 -c "print('ratio transfer/$b', round($transfer/$v, 3))")")
  done
  [ -n "$iperf" ] && ratios+=("$(python3 -c "print('ratio transfer/iperf3_tcp', round($transfer/$iperf, 3))")")
  set -e
  echo "two processes on loopback, $BYTES bytes:"
  random_file "$work/payload.bin" "$BYTES"
  two_process "files over udp (protected)" "" "" 127.0.0.1 "$work/payload.bin" --protect
  udp2=$TWO_MBPS
  two_process "files over the tcp path" "" "" 127.0.0.1 "$work/payload.bin" --tcp
  tcp_copy=$(value tcp_mbps)
  [ -n "$tcp_copy" ] && ratios+=("ratio two-process-udp/tcp_mbps $(python3 -c "print(round($udp2/$tcp_copy, 3))")")
  [ -n "$tcp_copy" ] && ratios+=("ratio two-process-tcp-path/tcp_mbps $(python3 -c "print(round($TWO_MBPS/$tcp_copy, 3))")")
  rm -f "$work/payload.bin"
}

# two_process_ab: --part two-process: the protected UDP row alone, DIR's programs and this tree's alternately.
two_process_ab() {
  local base_bin="$BASELINE/$BIN" round tree
  [ -x "$base_bin" ] || { echo "bench-files: $base_bin is missing: build tests/Benchmarks (Release) in $BASELINE first" >&2; exit 2; }
  random_file "$work/payload.bin" "$BYTES"
  quiet "two-process A/B ($BYTES bytes, $ROUNDS rounds)"
  for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order=("$BASELINE" "$PWD"); else order=("$PWD" "$BASELINE"); fi
    for tree in "${order[@]}"; do
      TWO_BIN="$tree/$BIN" two_process "round $round, load $(cut -d' ' -f1 /proc/loadavg)" "" "" 127.0.0.1 "$work/payload.bin" --protect
      echo "    ^ $tree"
    done
  done
  rm -f "$work/payload.bin"
}

netem_available() {
  ip netns add bf-probe-$$ || return 1
  local ok=1
  ip netns exec bf-probe-$$ tc qdisc add dev lo root netem delay 1ms 2>/dev/null && ok=0
  ip netns del bf-probe-$$
  return $ok
}

# impaired_part: namespaces bf$$a (10.98.1.1) and bf$$b (10.98.1.2), 20 ms each way and 1 % loss each way.
impaired_part() {
  [ "$(id -u)" = 0 ] || { echo "bench-files: impaired part skipped: needs root (network namespaces)"; return; }
  command -v iperf3 >/dev/null || { echo "bench-files: impaired part skipped: iperf3 missing (scripts/install-test-deps.sh)"; return; }
  local A=bf$$a B=bf$$b ADDR_A=10.98.1.1 ADDR_B=10.98.1.2 kind
  if netem_available; then kind="veth+tc-netem"; else kind="tun+userspace-netem"; fi
  ip netns add "$A"; namespaces+=("$A"); ip netns add "$B"; namespaces+=("$B")
  ip -n "$A" link set lo up; ip -n "$B" link set lo up
  if [ "$kind" = "veth+tc-netem" ]; then
    ip link add bfv$$a netns "$A" type veth peer name bfv$$b netns "$B"
    ip -n "$A" addr add "$ADDR_A/24" dev bfv$$a; ip -n "$A" link set bfv$$a up
    ip -n "$B" addr add "$ADDR_B/24" dev bfv$$b; ip -n "$B" link set bfv$$b up
    ip netns exec "$A" tc qdisc add dev bfv$$a root netem delay 20ms loss 1% limit 100000
    ip netns exec "$B" tc qdisc add dev bfv$$b root netem delay 20ms loss 1% limit 100000
  else
    local fifo; fifo=$(mktemp -u); mkfifo "$fifo"
    "$BIN" transport-link --ns-a "$A" --ns-b "$B" --addr-a "$ADDR_A" --addr-b "$ADDR_B" --delay-ms 20 --loss 0.01 >"$fifo" 2>/dev/null &
    pids+=($!)
    read -r _ <"$fifo"; rm -f "$fifo"   # "link up: ..."
  fi
  quiet "impaired ($kind, 1 % loss each way, 40 ms RTT, $IMPAIRED_BYTES bytes)"
  local port; port=$(free_port)
  ip netns exec "$B" iperf3 -s -1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 1 50); do ip netns exec "$A" iperf3 -c "$ADDR_B" -p "$port" -n 1K >/dev/null 2>&1 && break; sleep 0.1; done
  ip netns exec "$B" iperf3 -s -1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  sleep 0.2
  local tcp; tcp=$(ip netns exec "$A" iperf3 -c "$ADDR_B" -p "$port" -C cubic -n "$IMPAIRED_BYTES" -J | python3 -c 'import json,sys; d=json.load(sys.stdin)["end"]; print(round(d["sum_received"]["bits_per_second"]/8e6, 3), d["sum_sent"].get("retransmits", 0))')
  printf '  %-28s %9.2f MB/s  (%s retransmits)\n' "linux tcp cubic (iperf3)" "${tcp% *}" "${tcp#* }"
  random_file "$work/impaired.bin" "$IMPAIRED_BYTES"
  two_process "files over udp (protected)" "ip netns exec $B" "ip netns exec $A" "$ADDR_B" "$work/impaired.bin" --protect
  ratios+=("ratio impaired-files/tcp $(python3 -c "print(round($TWO_MBPS/${tcp% *}, 3))")")
  rm -f "$work/impaired.bin"
}

chat_part() {
  quiet "chat during a transfer ($BYTES bytes, headless processes)"
  if [ -z "$BASELINE" ]; then
    BYTES=$BYTES python3 scripts/bench/files_chat.py
    return
  fi
  for round in $(seq 1 "$ROUNDS"); do
    for tree in "$BASELINE" "$PWD"; do
      echo "# chat round $round, $tree, load average $(cut -d' ' -f1-3 /proc/loadavg)"
      P2PCHAT_TREE=$tree BYTES=$BYTES python3 scripts/bench/files_chat.py
    done
  done
}

case "$PART" in loopback|all) loopback_part ;; esac
case "$PART" in impaired|all) impaired_part ;; esac
case "$PART" in chat|all) chat_part ;; esac
case "$PART" in two-process) two_process_ab ;; esac
[ ${#ratios[@]} -eq 0 ] || printf '%s\n' "${ratios[@]}"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
