#!/usr/bin/env bash
# Runs every test project in P2PChat.sln and ends with one plain line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet build P2PChat.sln -c Release -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
# The end-to-end tests run the peer as deployed: its native AOT executable (scripts/programs.sh; the ReadyToRun publish
# where AOT cannot be built; P2PCHAT_JIT=1: the plain build). In-process test projects use the plain build.
. scripts/programs.sh
publish_programs peer || { echo "0 passed, 1 failed"; exit 1; }
if [ -n "$PEER_EXE" ]; then export P2PCHAT_PEER_EXE=$PEER_EXE; unset P2PCHAT_PEER_DLL
else export P2PCHAT_PEER_DLL=$PEER_DLL; unset P2PCHAT_PEER_EXE; fi
dotnet test P2PChat.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@"
rc=$?
# Sum the counters of every TRX file (one per test assembly); a run that produced none counts as a failure.
files=$(find "$results" -name '*.trx')
if [ -z "$files" ]; then echo "0 passed, 1 failed"; exit 1; fi
# A runner that exits non-zero with every test passed (e.g. xUnit's "catastrophic failure" for an exception thrown
# outside any test) still counts as one failure, so the closing line never reads green when the run was not.
grep -ho '<Counters [^>]*' $files | awk -v rc="$rc" '
  function attr(name,   m) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
  { p += attr("passed"); f += attr("failed") + attr("error") + attr("timeout") + attr("aborted"); s += attr("notExecuted") + attr("inconclusive") }
  END { if (rc != 0 && f == 0) { f = 1; print "the test runner failed outside any test (see above)" }
        printf "%d passed, %d failed%s\n", p, f, (s ? sprintf(", %d skipped", s) : "") }'
exit $rc
