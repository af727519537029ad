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

# program_dll TREE PROJECT NAME: the R2R publish of NAME in TREE when it exists (and P2PCHAT_JIT is not 1), else the
# plain Release build.
program_dll() {
  local r2r="$1/$2/bin/Release/net10.0/$PROGRAMS_RID/r2r/$3.dll"
  if [ "${P2PCHAT_JIT:-0}" != 1 ] && [ -f "$r2r" ]; then echo "$r2r"; else echo "$1/$2/bin/Release/net10.0/$3.dll"; fi
}

# publish_program TREE PROJECT NAME: (re)publishes one program ReadyToRun (incremental: unchanged inputs are not
# compiled again). -p:PublishReadyToRun=true also precompiles a checkout whose project file predates the setting.
publish_program() {
  if [ "${P2PCHAT_JIT:-0}" = 1 ]; then
    dotnet build "$1/$2" -c Release -nologo -v q -clp:ErrorsOnly >&2
  else
    dotnet publish "$1/$2" -c Release -r "$PROGRAMS_RID" --self-contained false -p:PublishReadyToRun=true \
      -o "$1/$2/bin/Release/net10.0/$PROGRAMS_RID/r2r" -nologo -v q -clp:ErrorsOnly >&2
  fi
}

# publish_programs [peer] [server]: publishes the named programs of this checkout (both by default) one after the
# other (they share Core's intermediate folder), then sets PEER_DLL and SERVER_DLL.
publish_programs() {
  local tree what names=("$@")
  tree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [ $# -gt 0 ] || names=(peer server)
  for what in "${names[@]}"; do
    case "$what" in
      peer) publish_program "$tree" Peer p2pchat ;;
      server) publish_program "$tree" Rendezvous p2pchat-rendezvous ;;
      *) echo "publish_programs: unknown program '$what' (peer, server)" >&2; return 2 ;;
    esac
  done
  PEER_DLL=$(program_dll "$tree" Peer p2pchat)
  SERVER_DLL=$(program_dll "$tree" Rendezvous p2pchat-rendezvous)
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  publish_programs "$@"
  echo "peer: $PEER_DLL"
  echo "server: $SERVER_DLL"
fi
