# Owns where scripts get the p2pchat peer and p2pchat-rendezvous server they run, as deployed: the peer published native
# AOT (one executable, no JIT, about half the resident memory of the ReadyToRun peer: docs/architecture.md "How the
# peer is built"), the server published ReadyToRun (precompiled, so a started program does not first JIT-compile its
# paths at tier 0: docs/benchmarks.md, Session 9 (P)).
#
# Source it from a script at the top of a checkout, then publish and run:
#   . scripts/programs.sh
#   publish_programs [peer] [server]     both when no argument; `dotnet publish -c Release -r linux-x64` into
#                                        Peer/bin/Release/net10.0/linux-x64/aot and Rendezvous/.../linux-x64/r2r
#   "${PEER_CMD[@]}" ...; dotnet "$SERVER_DLL" ...
# PEER_CMD is the command that runs the peer: the native executable PEER_EXE when the AOT publish is the peer to run,
# else `dotnet PEER_DLL` (PEER_EXE and PEER_DLL: exactly one is set). Native AOT needs clang and zlib1g-dev: when
# they are missing, publish_programs installs them as root (apt), else says so in one line and publishes the peer
# ReadyToRun instead (PEER_DLL). P2PCHAT_JIT=1 in the environment: the plain builds (`dotnet build -c Release`, JIT
# only) instead, for an A/B. scripts/bench/headless_peer.py looks for the same paths (programs_dir), so every Python
# benchmark runs what this published. Run directly (`scripts/programs.sh`), it publishes both and prints the paths.

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

# program_exe TREE PROJECT NAME: the native AOT publish of NAME in TREE when one completed (and P2PCHAT_JIT is not 1),
# else nothing.
program_exe() {
  local aot="$1/$2/bin/Release/net10.0/$PROGRAMS_RID/aot"
  if [ "${P2PCHAT_JIT:-0}" != 1 ] && [ -x "$aot/$3" ] && [ -f "$aot/$PROGRAMS_STAMP" ]; then echo "$aot/$3"; fi
}

# aot_toolchain: whether the native AOT publish can link here (clang and zlib's headers); as root it installs what is
# missing (apt-get, as the benchmarks do for their tools). A fresh machine with only the .NET SDK gets a ReadyToRun peer.
aot_toolchain() {
  local missing=()
  command -v clang >/dev/null || missing+=(clang)
  [ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "programs.sh: installing ${missing[*]} for the native AOT peer" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; }
    command -v clang >/dev/null && [ -f /usr/include/zlib.h ] && return 0
  fi
  echo "programs.sh: ${missing[*]} missing (native AOT links with them: apt-get install clang zlib1g-dev), so the peer is published ReadyToRun instead" >&2
  return 1
}

# aot_isa: nothing when this CPU runs x86-64-v3 code (AVX2: the level Peer.csproj compiles the AOT peer for), else the
# property that keeps the compiler's baseline x86-64 (a v3 executable would refuse to start here).
aot_isa() {
  local flag
  for flag in avx2 bmi1 bmi2 fma movbe abm; do
    if ! grep -qw "$flag" /proc/cpuinfo 2>/dev/null; then
      echo "programs.sh: this CPU lacks $flag (x86-64-v3): the AOT peer is compiled for the baseline x86-64" >&2
      echo "-p:P2PChatBaselineIsa=true"
      return
    fi
  done
}

# publish_program TREE PROJECT NAME [aot]: (re)publishes one program ReadyToRun, or native AOT with aot (incremental:
# unchanged inputs are not compiled again). -p:PublishReadyToRun=true also precompiles a checkout whose project file
# predates the setting; -p:PublishAot=false keeps a ReadyToRun publish of the peer, whose project asks for AOT.
# Without the stamp, the output folder and the project's intermediate RID folder are removed first (an interrupted
# publish, or one from before the stamp), so nothing half-written is reused.
publish_program() {
  if [ "${P2PCHAT_JIT:-0}" = 1 ]; then
    dotnet build "$1/$2" -c Release -nologo -v q -clp:ErrorsOnly >&2
    return
  fi
  local kind=${4:-r2r}
  local out="$1/$2/bin/Release/net10.0/$PROGRAMS_RID/$kind" obj="$1/$2/obj/Release/net10.0/$PROGRAMS_RID"
  if [ ! -f "$out/$PROGRAMS_STAMP" ] && { [ -d "$out" ] || [ -d "$obj" ]; }; then
    echo "programs.sh: no completed $kind publish of $3 (interrupted?): publishing it from scratch" >&2
    rm -rf "$out" "$obj"
  fi
  # The other kind's stamp goes too: both share the intermediate folder just written.
  rm -f "$out/$PROGRAMS_STAMP" "$1/$2/bin/Release/net10.0/$PROGRAMS_RID"/{aot,r2r}/"$PROGRAMS_STAMP"
  if [ "$kind" = aot ]; then
    dotnet publish "$1/$2" -c Release -r "$PROGRAMS_RID" -p:PublishAot=true $(aot_isa) -o "$out" -nologo -v q -clp:ErrorsOnly >&2 || return
  else
    dotnet publish "$1/$2" -c Release -r "$PROGRAMS_RID" --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false \
      -o "$out" -nologo -v q -clp:ErrorsOnly >&2 || return
  fi
  touch "$out/$PROGRAMS_STAMP"
}

# publish_programs [peer] [server]: publishes the named programs of this checkout (both by default) one after the
# other (they share Core's intermediate folder), then sets PEER_EXE or PEER_DLL, PEER_CMD and SERVER_DLL.
publish_programs() {
  local tree what failed=0 names=("$@")
  tree=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [ $# -gt 0 ] || names=(peer server)
  for what in "${names[@]}"; do
    case "$what" in
      peer) if [ "${P2PCHAT_JIT:-0}" != 1 ] && aot_toolchain; then publish_program "$tree" Peer p2pchat aot || failed=1
            else publish_program "$tree" Peer p2pchat || failed=1; fi ;;
      server) publish_program "$tree" Rendezvous p2pchat-rendezvous || failed=1 ;;
      *) echo "publish_programs: unknown program '$what' (peer, server)" >&2; return 2 ;;
    esac
  done
  peer_programs "$tree"
  SERVER_DLL=$(program_dll "$tree" Rendezvous p2pchat-rendezvous)
  return $failed
}

# peer_programs TREE: sets PEER_EXE (the AOT executable) or PEER_DLL (the R2R publish or the plain build), and PEER_CMD.
peer_programs() {
  PEER_EXE=$(program_exe "$1" Peer p2pchat)
  if [ -n "$PEER_EXE" ]; then PEER_DLL=""; PEER_CMD=("$PEER_EXE")
  else PEER_DLL=$(program_dll "$1" Peer p2pchat); PEER_CMD=(dotnet "$PEER_DLL"); fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  publish_programs "$@"
  echo "peer: ${PEER_CMD[*]}"
  echo "server: $SERVER_DLL"
fi
