# Owns where scripts get the p2pchat peer and p2pchat-rendezvous server they run: the ReadyToRun publishes (precompiled,
# as deployed), so a started program does not first JIT-compile its paths at tier 0 (docs/benchmarks.md, Session 9 (P)).
#
# Source it from a script at the top of a checkout, then publish and use the paths:
#   . scripts/programs.sh
#   publish_programs [peer] [server]     both when no argument; `dotnet publish -c Release -r linux-x64` into
#                                        Peer/bin/Release/net10.0/linux-x64/r2r and Rendezvous/.../linux-x64/r2r
#   dotnet "$PEER_DLL" ...; dotnet "$SERVER_DLL" ...
# P2PCHAT_JIT=1 in the environment: the plain builds (`dotnet build -c Release`, JIT only) instead, for an A/B.
# scripts/bench/headless_peer.py looks for the same two paths (programs_dir), so every Python benchmark runs what this
# published. Run directly (`scripts/programs.sh`), it publishes both and prints the two paths.

PROGRAMS_RID=linux-x64

# A publish that completed leaves this stamp in its output folder. An interrupted one (Ctrl-C, a killed CI job) leaves
# a half-written r2r folder and intermediate R2R images that the next incremental publish takes as up to date; a peer
# started from them hung silently (session 9). So a folder without the stamp is never run, and is rebuilt from scratch.
PROGRAMS_STAMP=.publish-complete

# program_dll TREE PROJECT NAME: the R2R publish of NAME in TREE when one completed (and P2PCHAT_JIT is not 1), else
# the plain Release build.
program_dll() {
  local r2r="$1/$2/bin/Release/net10.0/$PROGRAMS_RID/r2r"
  if [ "${P2PCHAT_JIT:-0}" != 1 ] && [ -f "$r2r/$3.dll" ] && [ -f "$r2r/$PROGRAMS_STAMP" ]; then echo "$r2r/$3.dll"
  else echo "$1/$2/bin/Release/net10.0/$3.dll"; fi
}

# publish_program TREE PROJECT NAME: (re)publishes one program ReadyToRun (incremental: unchanged inputs are not
# compiled again). -p:PublishReadyToRun=true also precompiles a checkout whose project file predates the setting.
# Without the stamp, the output folder and the project's intermediate RID folder are removed first (an interrupted
# publish, or one from before the stamp), so nothing half-written is reused.
publish_program() {
  if [ "${P2PCHAT_JIT:-0}" = 1 ]; then
    dotnet build "$1/$2" -c Release -nologo -v q -clp:ErrorsOnly >&2
    return
  fi
  local out="$1/$2/bin/Release/net10.0/$PROGRAMS_RID/r2r" obj="$1/$2/obj/Release/net10.0/$PROGRAMS_RID"
  if [ ! -f "$out/$PROGRAMS_STAMP" ] && { [ -d "$out" ] || [ -d "$obj" ]; }; then
    echo "programs.sh: no completed publish of $3 (interrupted?): publishing it from scratch" >&2
    rm -rf "$out" "$obj"
  fi
  rm -f "$out/$PROGRAMS_STAMP"
  dotnet publish "$1/$2" -c Release -r "$PROGRAMS_RID" --self-contained false -p:PublishReadyToRun=true \
    -o "$out" -nologo -v q -clp:ErrorsOnly >&2 || return
  touch "$out/$PROGRAMS_STAMP"
}

# publish_programs [peer] [server]: publishes the named programs of this checkout (both by default) one after the
# other (they share Core's intermediate folder), then sets PEER_DLL and SERVER_DLL.
publish_programs() {
  local tree what failed=0 names=("$@")
  tree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [ $# -gt 0 ] || names=(peer server)
  for what in "${names[@]}"; do
    case "$what" in
      peer) publish_program "$tree" Peer p2pchat || failed=1 ;;
      server) publish_program "$tree" Rendezvous p2pchat-rendezvous || failed=1 ;;
      *) echo "publish_programs: unknown program '$what' (peer, server)" >&2; return 2 ;;
    esac
  done
  PEER_DLL=$(program_dll "$tree" Peer p2pchat)
  SERVER_DLL=$(program_dll "$tree" Rendezvous p2pchat-rendezvous)
  return $failed
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  publish_programs "$@"
  echo "peer: $PEER_DLL"
  echo "server: $SERVER_DLL"
fi
