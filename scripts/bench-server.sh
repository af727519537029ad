#!/usr/bin/env bash
# Server at scale, side by side with InspIRCd: the same TLS load against both, one "<server> <figure> <value>" line per figure.
#
#   scripts/bench-server.sh                   2,000 clients, 25,000 PMs/s for 20 s; 2,000 sign-ups at 1,000 in flight
#   scripts/bench-server.sh --clients 10000   the above, then idle memory per connection and the reconnect storm at 10,000
#   scripts/bench-server.sh --micro           the BenchmarkDotNet round trips (tests/Benchmarks/Server/*Benchmarks.cs)
#   scripts/bench-server.sh --clients 10000 --only storm   only the reconnect storm (also: --only pm|signup|idle)
#   options: --rate N --seconds N --signups N --in-flight N --skip-irc; BENCH_QUIET_WAIT=S bounds each wait for a quiet machine (60)
#   LOAD_WINDOW_PROBE="CMD"  runs CMD ({pid} = the server's process id) during each measured PM window, for either server, e.g.
#                    LOAD_WINDOW_PROBE="perf stat -e 'syscalls:sys_enter_*' -p {pid} -- sleep 10" (per message: count / (rate_per_s × 10))
#   --counts         during each measured PM window (8 s of it; LOAD_COUNTS=S to change), counts per delivered message that
#                    hardly depend on the machine's load: <server> per_msg_context_switches, per_msg_syscalls (and per_msg_sys_NAME),
#                    from `perf stat`; for our server and the base also per_msg_workitems (thread-pool work items), per_msg_alloc_bytes,
#                    per_msg_lock_contentions and counts_gcs (collections in the 8 s), from `dotnet-counters` (`dotnet tool install -g dotnet-counters`)
#   --jit            run our server from the plain build (JIT only) instead of the ReadyToRun publish (the default, as deployed)
#   --baseline DIR   also run the pm and idle phases against the server built in DIR (another checkout, already built with
#                    `dotnet build -c Release Rendezvous`; its ReadyToRun publish is used when DIR has one, as for ours:
#                    `dotnet publish Rendezvous -c Release -r linux-x64 --self-contained false -o Rendezvous/bin/Release/net10.0/linux-x64/r2r`),
#                    labelled "base", right before ours: a before/after in one run
#                    (the storm too); --baseline . compares this build with itself, e.g. under other settings:
#   --base-env "K=V ..."  --env "K=V ..."   environment of the base / our server process only (e.g. DOTNET_TieredPGO=0)
#   --base-second    run the base right after ours instead of before (the other order of an A/B pair: on this machine
#                    the side that runs second is often cheaper, so a pair is read in both orders)
# The storm prints its breakdown too: client-side phases (storm_tcp_ms_*, storm_tls_ms_*, storm_failed_*, storm_signins_per_5s),
# the CPU seconds of server and load generator, the kernel's listen-queue overflows, and the server's own counters
# (ours server_*: handshakes per 5 s and their p50/p99, sign-ins by kind, closes by state and reason, store writes and commits).
#
# Flood limits are lifted the same way for both servers: ours with MaxCommandsPerWindow 100,000,000, 100,000
# connections per address (signed-in and not yet signed-in) and the sign-up throttle opened; InspIRCd with a <connect> class of threshold/commandrate 1,000,000,000, fakelag off,
# localmax/globalmax 100,000. Our password hashing is lowered to Argon2id m = 64 KiB, t = 1 for the PM, idle and storm
# phases (accounts are set up there, it is not what they measure); the sign-up phase runs the production default
# (m = 19 MiB, t = 2).
# Traffic stays on 127.0.0.0/8; every process and temp folder is cleaned up on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "--micro" ]]; then
    shift
    exec dotnet run -c Release --project tests/Benchmarks -- --job short --warmupCount 5 --iterationCount 20 --inProcess \
        --filter '*P2PChat.Benchmarks.Server*' --artifacts tests/Benchmarks/BenchmarkDotNet.Artifacts "$@"
fi

CLIENTS=2000 RATE=25000 SECONDS_=20 SIGNUPS=2000 IN_FLIGHT=1000 SKIP_IRC=0 ONLY= BASE_DIR= BASELINE= BASE_ENV= OURS_ENV= JIT=0 BASE_SECOND=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --clients) CLIENTS="$2"; shift 2 ;;
        --rate) RATE="$2"; shift 2 ;;
        --seconds) SECONDS_="$2"; shift 2 ;;
        --signups) SIGNUPS="$2"; shift 2 ;;
        --in-flight) IN_FLIGHT="$2"; shift 2 ;;
        --skip-irc) SKIP_IRC=1; shift ;;
        --jit) JIT=1; shift ;;
        --base-second) BASE_SECOND=1; shift ;;
        --counts) export LOAD_COUNTS="${LOAD_COUNTS:-8}"; COUNTS=1; shift ;;
        --only) ONLY="$2"; shift 2 ;;
        --baseline) BASE_DIR="$(cd "$2" && pwd)"; shift 2 ;;
        --base-env) BASE_ENV="$2"; shift 2 ;;
        --env) OURS_ENV="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

ulimit -n "$(ulimit -Hn)"
if [[ "${COUNTS:-0}" == 1 ]]; then
    # --counts reads the runtime's counters with dotnet-counters and the kernel's with perf: install what is missing.
    if ! command -v dotnet-counters >/dev/null && [ ! -x "$HOME/.dotnet/tools/dotnet-counters" ]; then
        dotnet tool install -g dotnet-counters >&2 || { echo "--counts needs dotnet-counters (dotnet tool install -g dotnet-counters)" >&2; exit 1; }
    fi
    command -v perf >/dev/null || { apt-get install -y linux-perf >&2 || { echo "--counts needs perf (apt-get install linux-perf)" >&2; exit 1; }; }
fi
if [[ "$SKIP_IRC" == 0 ]] && ! command -v inspircd >/dev/null; then
    # The anchor is part of the benchmark: install it (Debian's package; needs root) rather than stop.
    { apt-get install -y inspircd >&2 || { apt-get update >&2 && apt-get install -y inspircd >&2; }; } \
        || { echo "inspircd is not installed and could not be: apt-get install inspircd (or pass --skip-irc)" >&2; exit 1; }
fi

dotnet build -c Release Rendezvous -v quiet -nologo >/dev/null
dotnet build -c Release tests/Benchmarks -v quiet -nologo >/dev/null
SERVER_EXE="$PWD/Rendezvous/bin/Release/net10.0/p2pchat-rendezvous"
if [[ "$JIT" == 0 ]]; then   # our server as deployed: published ReadyToRun (precompiled; see docs/server.md "Deployment")
    R2R_DIR="$PWD/Rendezvous/bin/Release/net10.0/linux-x64/r2r"
    dotnet publish Rendezvous -c Release -r linux-x64 --self-contained false -o "$R2R_DIR" -v quiet -nologo >/dev/null
    SERVER_EXE="$R2R_DIR/p2pchat-rendezvous"
fi
LOAD=(dotnet "$PWD/tests/Benchmarks/bin/Release/net10.0/P2PChat.Benchmarks.dll" server-load)
if [[ -n "$BASE_DIR" ]]; then   # the base runs the same way as ours: its ReadyToRun publish when it has one (unless --jit)
    BASELINE="$BASE_DIR/Rendezvous/bin/Release/net10.0/p2pchat-rendezvous"
    BASE_R2R="$BASE_DIR/Rendezvous/bin/Release/net10.0/linux-x64/r2r/p2pchat-rendezvous"
    if [[ "$JIT" == 0 && -x "$BASE_R2R" ]]; then BASELINE="$BASE_R2R"; fi
    echo "# base: $BASELINE" >&2
fi

WORK="$(mktemp -d "/tmp/p2pchat-bench-server.$$.XXXXXX")"
IRCD_PID=""
cleanup() {
    if [[ -n "$IRCD_PID" ]]; then kill "$IRCD_PID" 2>/dev/null || true; wait "$IRCD_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "# $(date -u '+%F %T') UTC, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

if [[ -n "$BASELINE" && ! -x "$BASELINE" ]]; then echo "no baseline server at $BASELINE: build it first" >&2; exit 2; fi

ours() { # ours SCENARIO cheap|production [load options...]   (SERVER_EXE and LABEL may be overridden per call)
    local scenario="$1" hashing="$2"; shift 2
    local hash_args=()
    [ "$hashing" = cheap ] && hash_args=(--password-memory-kib 64 --password-passes 1)
    local data; data="$(mktemp -d "$WORK/ours.XXXX")"
    local exe="${EXE:-$SERVER_EXE}"
    if [[ -n "${RUN_ENV:-}" ]]; then   # the server alone runs with these variables (exec keeps its PID for the probes)
        printf '#!/bin/sh\nexec env %s %q "$@"\n' "$RUN_ENV" "$exe" > "$data.sh"; chmod +x "$data.sh"; exe="$data.sh"
    fi
    RUN_ENV= "${LOAD[@]}" --target ours --label "${LABEL:-ours}" --scenario "$scenario" --server-exe "$exe" "$@" -- \
        --listen 127.0.0.1:0 --data "$data" "${hash_args[@]}" --max-connections 100000 \
        --Rendezvous:MaxCommandsPerWindow 100000000 \
        --Rendezvous:MaxSignUpsPerAddress 100000000 --Rendezvous:MaxSignUpsGlobal 100000000 \
        --Rendezvous:MaxUnauthenticatedPerAddress 100000 --Rendezvous:MaxUnauthenticatedConnections 100000
}

start_ircd() {
    local dir="$WORK/ircd"; mkdir -p "$dir"
    local port=$((20000 + RANDOM % 20000))
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" \
        -days 2 -subj /CN=localhost 2>/dev/null
    certtool --generate-dh-params --sec-param medium --outfile "$dir/dh.pem" >/dev/null 2>&1 || true
    cat > "$dir/inspircd.conf" <<CONF
<config format="xml">
<server name="bench.local" description="bench" network="bench">
<admin name="bench" nick="bench" email="bench@localhost">
<module name="ssl_gnutls">
<sslprofile name="bench" provider="gnutls" certfile="$dir/cert.pem" keyfile="$dir/key.pem" dhfile="$dir/dh.pem" hash="sha256" requestclientcert="no">
<bind address="127.0.0.1" port="$port" type="clients" sslprofile="bench">
<connect name="bench" allow="*" timeout="60" pingfreq="120" threshold="1000000000" commandrate="1000000000" fakelag="no"
         hardsendq="16M" softsendq="1M" recvq="64K" localmax="100000" globalmax="100000" limit="100000" useident="no" maxconnwarn="no">
<performance softlimit="19000" somaxconn="4096" quietbursts="yes" nouserdns="yes" clonesonconnect="no">
<pid file="$dir/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$dir/ircd.log">
<options prefixquit="Quit: " syntaxhints="no">
<security hideserver="" userstats="Pu" customversion="">
CONF
    inspircd --config="$dir/inspircd.conf" --nofork --runasroot >"$dir/stdout.log" 2>&1 &
    IRCD_PID=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then IRCD_PORT=$port; return 0; fi
        sleep 0.1
    done
    echo "inspircd did not start:" >&2; cat "$dir/stdout.log" >&2; exit 1
}

stop_ircd() { kill "$IRCD_PID" 2>/dev/null || true; wait "$IRCD_PID" 2>/dev/null || true; IRCD_PID=""; }

irc() { # irc SCENARIO [load options...]
    local scenario="$1"; shift
    start_ircd
    "${LOAD[@]}" --target irc --label inspircd --scenario "$scenario" --port "$IRCD_PORT" --server-pid "$IRCD_PID" "$@"
    stop_ircd
}

PM=(--clients "$CLIENTS" --rate "$RATE" --seconds "$SECONDS_")
[[ "$CLIENTS" -gt 2000 ]] && PM=(--clients 2000 --rate "$RATE" --seconds "$SECONDS_")
wanted() { [[ -z "$ONLY" || "$ONLY" == "$1" ]]; }
# Setting up 10,000 clients takes minutes on a busy machine: the load generator's own limit (--timeout s) is raised.
base() { [[ -n "$BASELINE" ]] && EXE="$BASELINE" LABEL=base RUN_ENV="$BASE_ENV" ours "$@"; return 0; }
if wanted pm; then
    [[ "$BASE_SECOND" == 0 ]] && base pm cheap "${PM[@]}"
    RUN_ENV="$OURS_ENV" ours pm cheap "${PM[@]}"
    [[ "$BASE_SECOND" == 1 ]] && base pm cheap "${PM[@]}"
    [[ "$SKIP_IRC" == 0 ]] && irc pm "${PM[@]}"
fi
if wanted signup; then
    ours signup production --signups "$SIGNUPS" --in-flight "$IN_FLIGHT"
    [[ "$SKIP_IRC" == 0 ]] && irc signup --signups "$SIGNUPS" --in-flight "$IN_FLIGHT"
fi
if [[ "$CLIENTS" -ge 10000 || -n "$ONLY" ]]; then
    if wanted idle; then
        [[ "$BASE_SECOND" == 0 ]] && base idle cheap --clients "$CLIENTS"
        RUN_ENV="$OURS_ENV" ours idle cheap --clients "$CLIENTS"
        [[ "$BASE_SECOND" == 1 ]] && base idle cheap --clients "$CLIENTS"
        [[ "$SKIP_IRC" == 0 ]] && irc idle --clients "$CLIENTS"
    fi
    if wanted storm; then
        [[ "$BASE_SECOND" == 0 ]] && base storm cheap --clients "$CLIENTS" --timeout 3600
        RUN_ENV="$OURS_ENV" ours storm cheap --clients "$CLIENTS" --timeout 3600
        [[ "$BASE_SECOND" == 1 ]] && base storm cheap --clients "$CLIENTS" --timeout 3600
    fi
fi
echo "# done $(date -u '+%F %T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
