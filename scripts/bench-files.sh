#!/usr/bin/env bash
# File transfer benchmark: 1 GiB through the file sessions over a Noise-keyed UDP link on loopback, next to iperf3 TCP,
# a plain .NET TCP copy and the link's raw stream throughput, all measured in the same run; the chat round trip on
# the same link during the transfer; peak RSS (both sides share one process, so each side is below the figure) and
# CPU seconds per GiB. Ends with "ratio transfer/<baseline> X" lines. Results go to docs/benchmarks.md by hand.
#
# Environment: BYTES (1073741824); BENCH_QUIET_WAIT (120) seconds to wait at most for a load average below the core count.
set -euo pipefail
cd "$(dirname "$0")/.."
BYTES=${BYTES:-1073741824}
QUIET_WAIT=${BENCH_QUIET_WAIT:-120}
BIN=tests/Benchmarks/bin/Release/net10.0/P2PChat.Benchmarks
dotnet build tests/Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 "$QUIET_WAIT"); do
  awk -v cores="$(nproc)" '{ exit !($1 < cores) }' /proc/loadavg && break
  sleep 1
done
echo "# $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $BYTES bytes"

iperf=""
if command -v iperf3 >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  for _ in $(seq 1 50); do iperf3 -c 127.0.0.1 -p "$port" -n 1K >/dev/null 2>&1 && break; sleep 0.1; done
  iperf3 -s -1 -B 127.0.0.1 -p "$port" >/dev/null 2>&1 & pids+=($!)
  sleep 0.2
  iperf=$(iperf3 -c 127.0.0.1 -p "$port" -n "$BYTES" -J | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8e6,1))' || true)
  echo "iperf3_tcp_mbps=$iperf"
fi

base=$("$BIN" files-bench "$BYTES" baselines)
echo "$base"
out=$( { /usr/bin/time -v "$BIN" files-bench "$BYTES" transfer; } 2>&1 )
grep '=' <<<"$out" | grep -v ':' || true
grep -E '=|Maximum resident' <<<"$out" | grep -E 'chat_|Maximum resident' || true

set +e  # the report below must not stop half-way on one missing figure
value() { printf '%s\n%s\n' "$base" "$out" | awk -F= -v k="$1" '$1 == k { print substr($0, length(k) + 2); exit }'; }
transfer=$(value transfer_mbps)
for b in tcp_mbps stream_mbps; do
  v=$(value "$b"); [ -n "$v" ] && python3 -c "print('ratio transfer/$b', round($transfer/$v, 3))"
done
[ -n "$iperf" ] && python3 -c "print('ratio transfer/iperf3_tcp', round($transfer/$iperf, 3))"
true
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
