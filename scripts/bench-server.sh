#!/usr/bin/env bash
# Runs the rendezvous server benchmarks (5 warm-ups, 20 iterations, in-process) on loopback; figures go to docs/benchmarks.md, "Server".
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tests/Benchmarks -- --job short --warmupCount 5 --iterationCount 20 --inProcess --filter '*P2PChat.Benchmarks.Server*' --artifacts tests/Benchmarks/BenchmarkDotNet.Artifacts "$@"
