#!/usr/bin/env bash
# Runs the crypto benchmarks (short job) and leaves BenchmarkDotNet's reports in tests/Benchmarks/BenchmarkDotNet.Artifacts.
# Figures (ratios against the BCL baseline of the same run) go into docs/benchmarks.md, section "Crypto".
# --inProcess: BenchmarkDotNet cannot regenerate this project (assembly P2PChat.Benchmarks, file Benchmarks.csproj).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tests/Benchmarks -- --job short --inProcess --filter '*P2PChat.Benchmarks.Crypto*' --artifacts tests/Benchmarks/BenchmarkDotNet.Artifacts "$@"
