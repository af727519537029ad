#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (network namespaces, netem, tmux, iperf3 for transport benchmarks,
# and the NAT lab: iptables/nftables/conntrack, miniupnpd + miniupnpc + natpmpc, coturn), and what the native AOT
# publish of the peer links with (clang, zlib1g-dev; scripts/programs.sh). Needs root; skips quietly without it.
set -uo pipefail
pkgs=(iproute2 iptables tmux python3 iperf3 nftables conntrack miniupnpd miniupnpc natpmpc coturn clang zlib1g-dev)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "install-test-deps: not root, cannot install: ${missing[*]}" >&2; exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
