#!/usr/bin/env bash
# Runs every test project in P2PChat.sln and ends with one plain line: "N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet build P2PChat.sln -c Release -nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test P2PChat.sln -c Release --no-build --nologo --logger "trx" --results-directory "$results" "$@"
rc=$?
python3 - "$results" <<'PY' || { echo "0 passed, 1 failed"; exit 1; }
import sys, glob, xml.etree.ElementTree as ET
ns = {'t': 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010'}
p = f = s = 0
files = glob.glob(sys.argv[1] + '/**/*.trx', recursive=True)
for path in files:
    c = ET.parse(path).getroot().find('t:ResultSummary/t:Counters', ns)
    p += int(c.get('passed', 0)); f += int(c.get('failed', 0)) + int(c.get('error', 0)) + int(c.get('timeout', 0)) + int(c.get('aborted', 0))
    s += int(c.get('notExecuted', 0)) + int(c.get('inconclusive', 0))
if not files: f += 1
print(f"{p} passed, {f} failed" + (f", {s} skipped" if s else ""))
PY
exit $rc
