#!/usr/bin/env bash
# The real NAT lab: network namespaces for a "public internet", two home routers (iptables NAT + stateful firewall,
# optionally miniupnpd) and a host behind each. Nothing is created in the root namespace; every name carries PREFIX,
# so two labs can run at once. See docs/nat-traversal.md ("Real lab").
#
#   netlab.sh up PREFIX SCENARIO     build the lab (tears down whatever it built if a step fails)
#   netlab.sh down PREFIX            stop the lab's daemons and delete its namespaces (always safe to run)
#   netlab.sh coturn PREFIX PORT...  start coturn (STUN only) in PREFIX-inet on 11.0.0.1:PORT, one instance per port
#   netlab.sh try SCENARIO           interactive: up with a fresh prefix, print how to use it, down on exit/Ctrl-C
#   netlab.sh nat PREFIX N KIND      router N (1 or 2) becomes KIND (cone or symmetric) now, as a router whose NAT
#                                    changed: its MASQUERADE rule is replaced and its UDP conntrack entries are flushed
#   netlab.sh delay PREFIX MS        every packet crossing the internet namespace (router to router, and to or from the
#                                    servers there) waits MS ms each way, so a path's RTT grows by 2*MS (netem is not in
#                                    every kernel: scripts/netlab-delay.py holds packets in an NFQUEUE); its log of UDP
#                                    packets between the two routers (monotonic time, source, destination) is
#                                    /tmp/netlab-PREFIX/delay.log
#
# SCENARIO (router 1's kind; router 2 is always a port-restricted cone):
#   cone       MASQUERADE: endpoint-independent mapping, source ports kept, replies only from the contacted endpoint
#   symmetric  MASQUERADE --random-fully: a new random port per destination (address-and-port-dependent)
#   upnp       cone + miniupnpd answering UPnP IGD, NAT-PMP and PCP
#   pmp        cone + miniupnpd with UPnP disabled (NAT-PMP and PCP only)
#   v6         cone for IPv4 plus global IPv6 everywhere: no IPv6 NAT, an ip6tables stateful firewall on the routers
# Link scenarios (docs/nat-traversal.md, "Link lab"):
#   symsym     both routers MASQUERADE --random-fully (symmetric on both sides: no direct path, relay)
#   lan        cone, and a third host h3 (192.168.1.11) on router 1's LAN (a bridge): two peers on one LAN
#   udpblock   cone, but router 1 forwards no UDP from its LAN at all (only TCP gets out: the relay over TLS)
#   udpcut     both routers cone, but the internet drops every UDP packet between the two routers (either way);
#              UDP to the servers (STUN) and all TCP pass: the only direct path is TCP (simultaneous open)
#   upnpsym    router 1 cone + miniupnpd (UPnP IGD, NAT-PMP, PCP), router 2 symmetric: direct through the mapped port
#   v6sym      as v6, but both routers are symmetric for IPv4: the only direct path is IPv6 through the two stateful
#              IPv6 firewalls (opened by both sides' simultaneous checks)
#
# Namespaces: PREFIX-inet, PREFIX-r1, PREFIX-r2, PREFIX-h1, PREFIX-h2 (and PREFIX-h3 in the lan scenario). State (configs, pids, logs): /tmp/netlab-PREFIX.
# Addresses: 11.0.0.0/8 and 2a0f:11::/32 are not reserved blocks (miniupnpd refuses to map behind RFC 1918, CGNAT,
# benchmarking and documentation WAN addresses); the namespaces are isolated, so nothing ever leaves the machine.
#   inet  lo 11.0.0.1/32 + 2a0f:11::1/128 (servers bind these)   r1 link 11.1.1.0/30   r2 link 11.1.2.0/30
#   r1    wan 11.1.1.2, lan 192.168.1.1/24 (+ 2a0f:11:10::1/64)  h1 192.168.1.10 (+ 2a0f:11:10::10)
#   r2    wan 11.1.2.2, lan 192.168.2.1/24 (+ 2a0f:11:20::1/64)  h2 192.168.2.10 (+ 2a0f:11:20::10)
# Processes started here (miniupnpd) write their pid to the state folder; `down` stops exactly those pids, then
# any process still inside the lab's own namespaces, then deletes the namespaces and the state folder.
set -euo pipefail

SERVER4=11.0.0.1
SERVER6=2a0f:11::1

die() { echo "netlab: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "missing program '$1' (scripts/install-test-deps.sh installs it)"; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
sys() { nsx "$1" sysctl -q -w "$2" >/dev/null 2>&1 || true; }   # some keys (bridge-nf-*) exist only with modules loaded

check_prefix() {
  [[ "$1" =~ ^[a-z0-9][a-z0-9-]{0,30}$ ]] || die "PREFIX must be 1-31 characters of a-z, 0-9 and '-' (got '$1')"
}

namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$1-(inet|r1|r2|h1|h2|h3)$" || true; }

down() {
  local prefix=$1 state=/tmp/netlab-$1
  check_prefix "$prefix"
  if [ -d "$state" ]; then
    for pidfile in "$state"/*.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile" 2>/dev/null || true)
      [[ "$pid" =~ ^[0-9]+$ ]] && kill "$pid" 2>/dev/null || true
    done
  fi
  for ns in $(namespaces "$prefix"); do
    # Anything still running inside our namespaces (a test's server or peer that outlived it) goes too.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
  rm -rf "$state"
}

new_ns() {
  local ns=$1 ipv6=$2
  ip netns add "$ns"
  nsx "$ns" ip link set lo up
  sys "$ns" net.bridge.bridge-nf-call-iptables=0
  sys "$ns" net.bridge.bridge-nf-call-ip6tables=0
  if [ "$ipv6" = off ]; then
    # IPv4 NAT scenarios: no IPv6 at all, so nothing bypasses the NAT over link-local addresses.
    sys "$ns" net.ipv6.conf.all.disable_ipv6=1
    sys "$ns" net.ipv6.conf.default.disable_ipv6=1
  fi
}

# link NS_A IF_A NS_B IF_B: a veth pair created directly inside the two namespaces.
link() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

router() {
  local p=$1 n=$2 kind=$3 ipv6=$4 r=$1-r$2 h=$1-h$2
  link "$p-inet" "r$n" "$r" wan
  link "$r" lan "$h" eth0
  ip -n "$p-inet" addr add "11.1.$n.1/30" dev "r$n"
  # Replies from services in inet that bound 0.0.0.0 must leave from the server address, or the NAT drops them.
  ip -n "$p-inet" route replace "11.1.$n.0/30" dev "r$n" proto kernel scope link src "$SERVER4"
  ip -n "$r" addr add "11.1.$n.2/30" dev wan
  ip -n "$r" route add default via "11.1.$n.1"
  ip -n "$r" addr add "192.168.$n.1/24" dev lan
  ip -n "$h" addr add "192.168.$n.10/24" dev eth0
  ip -n "$h" route add default via "192.168.$n.1"
  sys "$r" net.ipv4.ip_forward=1

  # Stateful firewall: the WAN side may not reach the router itself (INPUT DROP: a router that accepted early punch
  # packets would create local conntrack entries and remap the host's port); forwarding only LAN→WAN, replies, and
  # connections the router DNATs itself (miniupnpd's mappings).
  nsx "$r" iptables -P INPUT DROP
  nsx "$r" iptables -A INPUT -i lo -j ACCEPT
  nsx "$r" iptables -A INPUT -i lan -j ACCEPT
  nsx "$r" iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  nsx "$r" iptables -P FORWARD DROP
  nsx "$r" iptables -A FORWARD -i lan -o wan -j ACCEPT
  nsx "$r" iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  nsx "$r" iptables -A FORWARD -m conntrack --ctstate DNAT -j ACCEPT
  if [ "$kind" = symmetric ]; then
    nsx "$r" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully
  else
    nsx "$r" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE
  fi

  if [ "$ipv6" = on ]; then
    ip -n "$p-inet" addr add "2a0f:11:$n::1/64" dev "r$n" nodad
    ip -n "$p-inet" route add "2a0f:11:${n}0::/64" via "2a0f:11:$n::2"
    ip -n "$r" addr add "2a0f:11:$n::2/64" dev wan nodad
    ip -n "$r" -6 route add default via "2a0f:11:$n::1"
    ip -n "$r" addr add "2a0f:11:${n}0::1/64" dev lan nodad
    ip -n "$h" addr add "2a0f:11:${n}0::10/64" dev eth0 nodad
    ip -n "$h" -6 route add default via "2a0f:11:${n}0::1"
    sys "$r" net.ipv6.conf.all.forwarding=1
    # No IPv6 NAT: a stateful firewall only. Hosts reach out; the world gets in only on flows the host opened.
    nsx "$r" ip6tables -P FORWARD DROP
    nsx "$r" ip6tables -A FORWARD -p ipv6-icmp -j ACCEPT
    nsx "$r" ip6tables -A FORWARD -i lan -o wan -j ACCEPT
    nsx "$r" ip6tables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    nsx "$r" ip6tables -P INPUT DROP
    nsx "$r" ip6tables -A INPUT -i lo -j ACCEPT
    nsx "$r" ip6tables -A INPUT -p ipv6-icmp -j ACCEPT
    nsx "$r" ip6tables -A INPUT -i lan -j ACCEPT
    nsx "$r" ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  fi
}

# lan scenario: router 1's LAN becomes a bridge (lanbr, 192.168.1.1) holding h1 and a third host h3 (192.168.1.11).
# bridge-nf-call-iptables is 0, so iptables sees traffic from either host as coming in on lanbr.
lan_host() {
  local p=$1 r=$1-r1 h=$1-h3
  ip -n "$r" link add lanbr type bridge
  ip -n "$r" link set lanbr up
  ip -n "$r" addr del 192.168.1.1/24 dev lan
  ip -n "$r" link set lan master lanbr
  ip -n "$r" addr add 192.168.1.1/24 dev lanbr
  new_ns "$h" off
  link "$r" lan3 "$h" eth0
  ip -n "$r" link set lan3 master lanbr
  ip -n "$h" addr add 192.168.1.11/24 dev eth0
  ip -n "$h" route add default via 192.168.1.1
  nsx "$r" iptables -A INPUT -i lanbr -j ACCEPT
  nsx "$r" iptables -A FORWARD -i lanbr -o wan -j ACCEPT
}

# miniupnpd in router 1. Debian 12's nft init script is broken, so its table and chains are made here and named in
# the config; the forward chain accepts by default (iptables' FORWARD chain above is the firewall).
miniupnpd_start() {
  local p=$1 upnp=$2 state=/tmp/netlab-$1 r=$1-r1
  nsx "$r" nft -f - <<EOF
table inet miniupnpd {
  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }
  chain miniupnpd { }
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
  chain prerouting_miniupnpd { }
  chain postrouting_miniupnpd { }
}
EOF
  cat > "$state/miniupnpd.conf" <<EOF
ext_ifname=wan
listening_ip=lan
enable_upnp=$upnp
enable_natpmp=yes
secure_mode=yes
system_uptime=yes
uuid=3f1c7c2e-6d1b-4f7a-9d55-$(printf '%012x' $((RANDOM * 32768 + RANDOM)))
min_lifetime=2
max_lifetime=86400
lease_file=$state/upnp.leases
upnp_table_name=miniupnpd
upnp_nat_table_name=miniupnpd
upnp_forward_chain=miniupnpd
upnp_nat_chain=prerouting_miniupnpd
upnp_nat_postrouting_chain=postrouting_miniupnpd
allow 1024-65535 192.168.1.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
  nsx "$r" miniupnpd -d -f "$state/miniupnpd.conf" -P "$state/miniupnpd.run" >"$state/miniupnpd.log" 2>&1 &
  echo $! > "$state/miniupnpd.pid"
  # Ready when its NAT-PMP/PCP socket is bound (a bounded poll on a condition, at most 10 s).
  for _ in $(seq 100); do
    nsx "$r" ss -lun 2>/dev/null | grep -q ':5351 ' && return 0
    kill -0 "$(cat "$state/miniupnpd.pid")" 2>/dev/null || break
    sleep 0.1
  done
  cat "$state/miniupnpd.log" >&2
  die "miniupnpd did not start in $r"
}

# coturn, an independent STUN implementation, to check that discovery agrees with the rendezvous server's STUN.
coturn_start() {
  local p=$1 state=/tmp/netlab-$1; shift
  [ -d "$state" ] || die "no lab with prefix '$p'"
  need turnserver
  for port in "$@"; do
    [[ "$port" =~ ^[0-9]+$ ]] || die "bad port '$port'"
    nsx "$p-inet" turnserver -n -S --no-cli --no-tls --no-dtls -L "$SERVER4" -p "$port" --pidfile "$state/coturn$port.run" \
      --log-file stdout --simple-log --db "$state/turndb$port" --no-stdout-log >"$state/coturn$port.log" 2>&1 &
    echo $! > "$state/coturn$port.pid"
  done
  for port in "$@"; do
    local ready=no
    for _ in $(seq 100); do
      nsx "$p-inet" ss -lun 2>/dev/null | grep -q "$SERVER4:$port " && { ready=yes; break; }
      sleep 0.1
    done
    [ "$ready" = yes ] || { cat "$state/coturn$port.log" >&2; die "coturn did not start on $port"; }
  done
}

# nat_change PREFIX N KIND: router N's IPv4 NAT becomes KIND; the mappings it held are forgotten (as after a router
# swap or a carrier moving a subscriber to another NAT), TCP entries (the peers' TLS to the server) are kept.
nat_change() {
  local p=$1 n=$2 kind=$3 r=$1-r$2
  [ -n "$(namespaces "$p")" ] || die "no lab with prefix '$p'"
  case "$n" in 1|2) ;; *) die "router must be 1 or 2 (got '$n')";; esac
  nsx "$r" iptables -t nat -F POSTROUTING
  case "$kind" in
    cone) nsx "$r" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE ;;
    symmetric) nsx "$r" iptables -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully ;;
    *) die "NAT kind must be cone or symmetric (got '$kind')" ;;
  esac
  need conntrack
  nsx "$r" conntrack -D -p udp >/dev/null 2>&1 || true   # exit 1 when there was nothing to delete
}

# delay_start PREFIX MS: scripts/netlab-delay.py in the internet namespace; iptables sends it every packet that is
# forwarded there or goes to or from its addresses over the router links (not loopback), and it releases each after MS.
delay_start() {
  local p=$1 ms=$2 state=/tmp/netlab-$1 ns=$1-inet
  [ -d "$state" ] || die "no lab with prefix '$p'"
  [[ "$ms" =~ ^[0-9]+$ ]] || die "delay must be whole milliseconds (got '$ms')"
  need python3
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  nsx "$ns" python3 "$here/netlab-delay.py" --queue 7 --delay-ms "$ms" --log "$state/delay.log" >"$state/delay.out" 2>&1 &
  echo $! > "$state/delay.pid"
  for _ in $(seq 100); do   # ready when it has bound the queue (a bounded poll on a condition, at most 10 s)
    grep -q '^ready' "$state/delay.out" 2>/dev/null && break
    kill -0 "$(cat "$state/delay.pid")" 2>/dev/null || { cat "$state/delay.out" >&2; die "netlab-delay.py did not start"; }
    sleep 0.1
  done
  grep -q '^ready' "$state/delay.out" || { cat "$state/delay.out" >&2; die "netlab-delay.py did not start"; }
  for chain in FORWARD "INPUT -i r+" "OUTPUT -o r+"; do
    # shellcheck disable=SC2086
    nsx "$ns" iptables -t mangle -A $chain -j NFQUEUE --queue-num 7 --queue-bypass
  done
}

up() {
  local prefix=$1 scenario=$2 state=/tmp/netlab-$1
  check_prefix "$prefix"
  case "$scenario" in cone|symmetric|upnp|pmp|v6|symsym|lan|udpblock|udpcut|upnpsym|v6sym) ;;
    *) die "unknown scenario '$scenario' (cone, symmetric, upnp, pmp, v6, symsym, lan, udpblock, udpcut, upnpsym, v6sym)";; esac
  [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
  for prog in ip iptables nft; do need "$prog"; done
  case "$scenario" in v6|v6sym) need ip6tables;; esac
  case "$scenario" in upnp|pmp|upnpsym) need miniupnpd;; esac
  [ -z "$(namespaces "$prefix")" ] || die "a lab with prefix '$prefix' exists already (netlab.sh down $prefix)"
  trap 'down "$prefix"' ERR
  mkdir -p "$state"
  local ipv6=off
  case "$scenario" in v6|v6sym) ipv6=on;; esac
  new_ns "$prefix-inet" "$ipv6"
  ip -n "$prefix-inet" addr add "$SERVER4/32" dev lo
  [ "$ipv6" = on ] && ip -n "$prefix-inet" addr add "$SERVER6/128" dev lo nodad
  sys "$prefix-inet" net.ipv4.ip_forward=1
  # The internet routes between the two homes over IPv6 too (host to host, not only host to server).
  [ "$ipv6" = on ] && sys "$prefix-inet" net.ipv6.conf.all.forwarding=1
  for n in 1 2; do new_ns "$prefix-r$n" "$ipv6"; new_ns "$prefix-h$n" "$ipv6"; done
  local kind=cone
  local kind2=cone
  case "$scenario" in symmetric) kind=symmetric;; symsym|v6sym) kind=symmetric; kind2=symmetric;; upnpsym) kind2=symmetric;; esac
  router "$prefix" 1 "$kind" "$ipv6"
  router "$prefix" 2 "$kind2" "$ipv6"
  case "$scenario" in
    upnp|upnpsym) miniupnpd_start "$prefix" yes ;;
    pmp) miniupnpd_start "$prefix" no ;;
    lan) lan_host "$prefix" ;;
    # First in the chain: no UDP leaves router 1's LAN (STUN, checks, everything); TCP (the server's TLS) still does.
    udpblock) nsx "$prefix-r1" iptables -I FORWARD 1 -i lan -p udp -j DROP ;;
    # Peer-to-peer UDP is cut in the middle (both directions); each home still reaches the servers over UDP and TCP.
    udpcut)
      nsx "$prefix-inet" iptables -I FORWARD 1 -p udp -s 11.1.1.0/30 -d 11.1.2.0/30 -j DROP
      nsx "$prefix-inet" iptables -I FORWARD 1 -p udp -s 11.1.2.0/30 -d 11.1.1.0/30 -j DROP ;;
  esac
  trap - ERR
  echo "netlab: $prefix up ($scenario): namespaces $prefix-{inet,r1,r2,h1,h2}, server address $SERVER4"
}

case "${1:-}" in
  up) [ $# -eq 3 ] || die "usage: netlab.sh up PREFIX SCENARIO"; up "$2" "$3" ;;
  down) [ $# -eq 2 ] || die "usage: netlab.sh down PREFIX"; down "$2" ;;
  coturn) [ $# -ge 3 ] || die "usage: netlab.sh coturn PREFIX PORT..."; check_prefix "$2"; p=$2; shift 2; coturn_start "$p" "$@" ;;
  nat) [ $# -eq 4 ] || die "usage: netlab.sh nat PREFIX 1|2 cone|symmetric"; check_prefix "$2"; nat_change "$2" "$3" "$4" ;;
  delay) [ $# -eq 3 ] || die "usage: netlab.sh delay PREFIX MS"; check_prefix "$2"; delay_start "$2" "$3" ;;
  try)
    [ $# -eq 2 ] || die "usage: netlab.sh try SCENARIO"
    prefix="nl$$"
    trap 'down "$prefix"' EXIT INT TERM
    up "$prefix" "$2"
    echo "try:  ip netns exec $prefix-h1 upnpc -l      ip netns exec $prefix-h1 natpmpc -g 192.168.1.1"
    echo "      ip netns exec $prefix-inet dotnet Rendezvous/bin/Release/net10.0/p2pchat-rendezvous.dll --listen $SERVER4:7777"
    echo "press Enter to tear the lab down"
    read -r _ || true
    ;;
  *) die "usage: netlab.sh up PREFIX SCENARIO | down PREFIX | coturn PREFIX PORT... | nat PREFIX N KIND | delay PREFIX MS | try SCENARIO" ;;
esac
