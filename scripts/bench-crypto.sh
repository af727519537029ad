#!/usr/bin/env bash
# Crypto benchmarks (issue 9): the X25519/Ed25519/Noise/Argon2id product against the retired P-256 constructions
# (kept only in tests/Benchmarks/Crypto/P256Baseline) and PBKDF2-600k, in the same run; the AEAD choice (AES-256-GCM,
# ChaCha20-Poly1305, AEGIS-128L, AEGIS-256); then process CPU per sign-in password check (password-cpu).
# BenchmarkDotNet's reports land in tests/Benchmarks/BenchmarkDotNet.Artifacts; figures go to docs/benchmarks.md, "Crypto".
# --inProcess: runs in this process (no per-benchmark rebuild of a generated project on a 2-core machine).
# Environment: QUIET_LOAD (2.0) load average to wait for, QUIET_WAIT_SECONDS (300) longest wait; the run then goes ahead
# and prints the load it ran under, since only the ratios (baseline and subject in the same run) are meaningful.
set -euo pipefail
cd "$(dirname "$0")/.."
QUIET_LOAD=${QUIET_LOAD:-2.0}
QUIET_WAIT_SECONDS=${QUIET_WAIT_SECONDS:-300}

waited=0
while awk -v limit="$QUIET_LOAD" '{ exit !($1 > limit) }' /proc/loadavg && [ "$waited" -lt "$QUIET_WAIT_SECONDS" ]; do
  sleep 10
  waited=$((waited + 10))
done
echo "bench-crypto: load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (waited ${waited}s for <= $QUIET_LOAD)"

dotnet build tests/Benchmarks -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
dotnet run -c Release --no-build --project tests/Benchmarks -- --job short --inProcess --filter '*P2PChat.Benchmarks.Crypto*' --artifacts tests/Benchmarks/BenchmarkDotNet.Artifacts "$@"
dotnet run -c Release --no-build --project tests/Benchmarks -- password-cpu 5
echo "bench-crypto: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
