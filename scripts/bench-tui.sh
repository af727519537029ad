#!/usr/bin/env bash
# TUI budgets: CPU idle and at 100 incoming messages a second, key-to-screen latency, resident memory and torn
# frames, for the Terminal.Gui UI (this checkout) side by side with the Spectre.Console renderer it replaced
# (the commit before "TUI on Terminal.Gui 2.5.0", built in a temporary git worktree), in the same run, each in
# its own tmux server at the same size, driven by the same --tui-demo (1 chatter message a second in a random buffer).
# The event-driven run also times keys and frames inside the program (P2PCHAT_TUI_PROFILE: from reading the key to
# the end of the frame written to the terminal), which tells the UI's own latency from the terminal's and the load's.
# This checkout runs twice: with its event-driven main loop (the default) and with Terminal.Gui's own polling loop
# (P2PCHAT_TUI_POLLING=1: 25 iterations a second, input polled every 20 ms), to show what the loop costs.
#
# Per UI: SETTLE_SECONDS after the screen is up (start-up JIT and tiering; not measured), then idle CPU over IDLE_SECONDS; CPU while `/flood N` sends 100 messages a second into the current buffer
# (FLOOD_SECONDS); KEYS key presses timed from tmux send-keys until capture-pane shows the typed text (p50/p99);
# VmRSS at the end; captures taken during the flood checked for torn frames (a frame is torn when the status
# line, the input line or the column separators are not where a whole frame puts them).
# It waits up to QUIET_WAIT seconds for the 1-minute load average to fall under the core count and prints the load.
#
# Environment: ROUNDS (1), SIZE (120x40), SETTLE_SECONDS (15), IDLE_SECONDS (10), FLOOD_SECONDS (10), KEYS (60), QUIET_WAIT (300), BASELINE_REF,
# SKIP_BUILD=1 (this checkout is already published: scripts/programs.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-120x40}
export SETTLE_SECONDS=${SETTLE_SECONDS:-15} IDLE_SECONDS=${IDLE_SECONDS:-10} FLOOD_SECONDS=${FLOOD_SECONDS:-10} KEYS=${KEYS:-60}
QUIET_WAIT=${QUIET_WAIT:-300}
command -v tmux >/dev/null || { echo "bench-tui: tmux missing (scripts/install-test-deps.sh)" >&2; exit 1; }

switch=$(git log --format=%H -n1 --grep='^TUI on Terminal.Gui 2.5.0')
BASELINE_REF=${BASELINE_REF:-${switch}^}
work=$(mktemp -d /tmp/bench-tui-$$-XXXX)
cleanup() {
  git worktree remove --force "$work/baseline" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the baseline ($(git rev-parse --short "$BASELINE_REF"), Spectre renderer) and this checkout" >&2
git worktree add --detach -q "$work/baseline" "$BASELINE_REF"
dotnet build "$work/baseline/Peer" -c Release -nologo -v q -clp:ErrorsOnly >&2
# This checkout's peer runs as deployed: its native AOT publish (scripts/programs.sh; ReadyToRun where AOT cannot be
# built, P2PCHAT_JIT=1: the plain build). The Spectre baseline predates both and runs its plain build.
. scripts/programs.sh
if [ "${SKIP_BUILD:-0}" = 1 ]; then peer_programs "$(pwd)"; else publish_programs peer >&2; fi

cores=$(nproc)
waited=0
while [ "$waited" -lt "$QUIET_WAIT" ] && awk -v c="$cores" '{ exit !($1 > c) }' /proc/loadavg; do sleep 10; waited=$((waited + 10)); done
echo "machine: $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited}s (limit ${QUIET_WAIT}s)"

subject=${PEER_EXE:-$PEER_DLL}
measure() {
  case $1 in
    spectre) python3 scripts/bench/tui_budget.py spectre "$work/baseline/Peer/bin/Release/net10.0/p2pchat.dll" "$SIZE" "bench-tui-$$-spectre" ;;
    polling) python3 scripts/bench/tui_budget.py terminal.gui-polling "$subject" "$SIZE" "bench-tui-$$-polling" P2PCHAT_TUI_POLLING=1 ;;
    event) rm -f "$work/profile.txt"
           python3 scripts/bench/tui_budget.py terminal.gui "$subject" "$SIZE" "bench-tui-$$-event" "P2PCHAT_TUI_PROFILE=$work/profile.txt" ;;
  esac
}
# ROUNDS (1): each round measures all three, every other round in reverse order, so a load that rises or falls
# during the run does not favour one of them.
for round in $(seq "${ROUNDS:-1}"); do
  if [ $((round % 2)) = 1 ]; then order="spectre polling event"; else order="event polling spectre"; fi
  for ui in $order; do measure "$ui"; done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
