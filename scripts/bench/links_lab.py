#!/usr/bin/env python3
"""Link figures in the real NAT lab (scripts/bench-links.sh runs this as root; docs/benchmarks.md, "Direct links").

Every run builds its own labs with scripts/netlab.sh (prefix with this process id, torn down in `finally`), starts
p2pchat-rendezvous in the lab's internet namespace and two p2pchat --headless behind its routers, and sends traffic
only inside those namespaces. For each repetition a fresh pair of friends (new accounts, new processes) is made, and
alice sends bob a first /msg while no link exists (it goes through the server and starts the link). Measured:

  time to link   from that /msg until the direct link has carried a PM: alice's `link` event says route direct,
                 then a second /msg arrives at bob with route direct. "After the introduction" is from the first
                 check packet between the two routers (scripts/netlab-delay.py logs it as it crosses the internet
                 namespace; a check is sent only once the introduction has arrived, so this start is at or after the
                 arrival) until alice's direct `link` event. Goal: at most 2 RTT + 100 ms.
                 On the cone lab with a one-way delay of RTT/2 on every path through the internet (netlab.sh delay).
  scenario table each scenario of the issue's list that is a NAT pair (the others are dynamics, tested in CI), no
                 added delay: outcome direct/relay/none, route, via, IP version, time from /msg to the link's final
                 route; success = direct where the pair can be direct, else relay (the PMs still flow).

Options (scripts/bench-links.sh passes them on): --repeat N, --rtt 20,100, --scenarios 1,2,..., --part ttl|table|all.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_peer import ROOT, SERVER, BenchError, Peer, befriend, pct, stop   # noqa: E402

NETLAB = os.path.join(ROOT, "scripts", "netlab.sh")
SERVER4, SERVER6 = "11.0.0.1", "2a0f:11::1"
STUN = [f"{SERVER4}:3478", f"{SERVER4}:3479"]
STUN6 = f"[{SERVER6}]:3478"
WANS = {"11.1.1.2", "11.1.2.2"}
CHECK_IP_LENGTH = 20 + 8 + 64   # IPv4 + UDP headers + a check packet (Core/Links/Checks/CheckPacket)

# number -> (lab, alice's host, bob's host, NAT pair, can be direct, extra peer options: "ipv6" adds the IPv6 STUN
# server; "port-mapping" lets alice (only: bob's router has no mapping service) ask her router for a port mapping;
# "bob-maps" lets bob ask his router too)
SCENARIOS = {
    1: ("cone", "h1", "h2", "cone <-> cone", True, []),
    2: ("symsym", "h1", "h2", "symmetric <-> symmetric", False, []),
    3: ("upnpsym", "h1", "h2", "UPnP router <-> symmetric", True, ["port-mapping"]),
    4: ("symmetric", "h1", "h2", "symmetric <-> cone", True, []),
    5: ("lan", "h1", "h3", "same LAN", True, []),
    6: ("udpblock", "h1", "h2", "UDP blocked <-> cone", False, []),
    7: ("v6sym", "h1", "h2", "IPv6 firewalls (IPv4 symmetric both)", True, ["ipv6"]),
    # 3 with port mapping on at both peers (the default), bob's router answering none of UPnP, PCP, NAT-PMP: the
    # upnpsym bug of session 5 (no final route within 40 s while discovery waited for bob's router)
    8: ("upnpsym", "h1", "h2", "UPnP router <-> symmetric, both peers map", True, ["port-mapping", "bob-maps"]),
}

procs = []


def sh(*args, check=True):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise BenchError(f"bench-links: {' '.join(args)} failed: {r.stdout}{r.stderr}")
    return r


class Lab:
    counter = 0

    def __init__(self, scenario, delay_ms=0):
        Lab.counter += 1
        self.prefix = f"bl{os.getpid()}-{Lab.counter}"
        self.scenario = scenario
        self.folder = tempfile.mkdtemp(prefix=f"bench-links-lab-{os.getpid()}-")
        self.server = None
        try:   # a lab that fails to come up is torn down too (netlab.sh also undoes a failed `up` itself)
            sh("bash", NETLAB, "up", self.prefix, scenario)
            self._start(scenario, delay_ms)
        except BaseException:
            self.close()
            raise

    def _start(self, scenario, delay_ms):
        if delay_ms:
            sh("bash", NETLAB, "delay", self.prefix, str(delay_ms))
        self.v6 = scenario.startswith("v6")
        stun = ",".join(STUN + ([STUN6] if self.v6 else []))
        self.server = subprocess.Popen(
            ["ip", "netns", "exec", f"{self.prefix}-inet", "dotnet", SERVER, "--listen", f"{SERVER4}:7777", "--data", os.path.join(self.folder, "server"),
             "--stun", stun, "--password-memory-kib", "64", "--password-passes", "1", "--Rendezvous:MaxCommandsPerWindow=1000000",
             "--Rendezvous:MaxSignUpsPerAddress=100000", "--Rendezvous:MaxSignUpsGlobal=100000", "--Rendezvous:MaxOfflineStoresPerMinute=1000000"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        procs.append(self.server)
        self.fingerprint = None
        listening = False
        for line in self.server.stdout:
            if m := re.search(r"fingerprint SHA256 ([0-9A-F:]+)", line): self.fingerprint = m.group(1)
            if "listening on" in line: listening = True
            if listening and self.fingerprint and ("stun answering" in line or "stun: off" in line): break
        if not (listening and self.fingerprint):
            raise BenchError(f"bench-links: the server in {self.prefix} did not start")
        threading.Thread(target=lambda: [None for _ in self.server.stdout], daemon=True).start()

    def peer(self, name, host, extra):
        args = ["--stun", STUN[0], "--stun", STUN[1]]
        if "ipv6" in extra: args += ["--stun", STUN6]
        if "port-mapping" not in extra: args.append("--no-port-mapping")
        args += os.environ.get("LINK_PEER_ARGS", "").split()   # e.g. LINK_PEER_ARGS="--tcp-links false" for an A/B
        return Peer(name, f"{SERVER4}:7777", self.fingerprint, self.folder, args, ["ip", "netns", "exec", f"{self.prefix}-{host}"], procs,
                    stderr_path=os.path.join(self.folder, f"{name}.err")).signed_up()

    def direct_packets_after(self, t0):
        """(time, IP length) of each UDP packet between the two routers' WAN addresses after t0, from the delay log."""
        try:
            with open(f"/tmp/netlab-{self.prefix}/delay.log") as f:
                rows = [line.split() for line in f]
        except FileNotFoundError:
            return []
        return [(float(r[0]), int(r[3]), r[1].split(":")[0]) for r in rows
                if len(r) == 4 and float(r[0]) >= t0 and r[1].split(":")[0] in WANS and r[2].split(":")[0] in WANS]

    def close(self):
        if self.server:
            self.server.kill()
            self.server.wait(timeout=10)
        sh("bash", NETLAB, "down", self.prefix, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def attempt(lab, r, alice_host, bob_host, extra, timeout, can_direct=True):
    """One fresh pair: returns dict(outcome, route, via, ip, t_link_ms, t_carried_ms, after_intro_ms, rtt_ms).
    Where the pair can be direct, a relayed `link` event is final only when no direct one follows within the timeout
    (a link introduced before the other side published its candidates says "relay" first and moves over once they are
    published); where it cannot, the first relayed event with a reason is the final route."""
    a = lab.peer(f"alice{r}", alice_host, extra)
    b = lab.peer(f"bobby{r}", bob_host, extra if "bob-maps" in extra else [x for x in extra if x != "port-mapping"])   # only alice's router maps ports
    try:
        befriend(a, b)
        t0 = a.send(f"/msg {b.name} hello")
        b.wait("message", lambda e: e.get("text") == "hello", timeout)
        def final(e):   # direct, or relay once the checks gave up (the event carries the reason)
            return e.get("peer") == b.name and e.get("state") == "up" and (e.get("route") == "direct" or "reason" in e)
        def direct(e):
            return e.get("peer") == b.name and e.get("state") == "up" and e.get("route") == "direct"
        try:
            t1, up = a.wait("link", final, timeout)
        except BenchError:
            return {"outcome": "none", "route": "-", "via": "-", "ip": None, "t_link_ms": None}
        if up["route"] != "direct" and can_direct:
            try:
                t1, up = a.wait("link", direct, max(0.0, timeout - (t1 - t0)))
            except BenchError:
                pass   # stayed relayed for the whole timeout: that relayed event is the final route
        res = {"outcome": up["route"], "route": up["route"], "via": up.get("via"), "ip": up.get("ip_version"),
               "t_link_ms": (t1 - t0) * 1000, "rtt_ms": up.get("rtt_ms"), "reason": up.get("reason")}
        if up["route"] == "direct":
            a.send(f"/msg {b.name} second")
            t2, m = b.wait("message", lambda e: e.get("text") == "second", timeout)
            res["t_carried_ms"] = (t2 - t0) * 1000 if m.get("route") == "direct" else None
            packets = lab.direct_packets_after(t0)
            if packets:
                # Checks are 64-byte UDP payloads (IP length 92); the first other packet between the routers is the
                # link's own traffic on the nominated path.
                check = packets[0][0]
                moved = next((t for t, length, _ in packets if length != CHECK_IP_LENGTH), None)
                res["after_intro_ms"] = (t1 - check) * 1000
                res["checks_ms"] = (moved - check) * 1000 if moved else None
                res["event_lag_ms"] = (t1 - moved) * 1000 if moved else None
        return res
    finally:
        a.quit()
        b.quit()
        res_phases = phases(a)
        if res_phases and "res" in locals():
            res["phases"] = res_phases
            if os.environ.get("LINKS_TRACE") == "1":
                trace(lab, a, b, t0)


PHASE = re.compile(r"time to link from the introduction(?: \(at ([0-9.]+) s\))?: (.*)$")


def phase_line(peer):
    """(monotonic time of the introduction or None, the phases) from the peer's own line on where the time went
    (PeerLinks logs it once a link is secured and direct), or None."""
    try:
        with open(peer.stderr_path) as f:
            found = [m for line in f if (m := PHASE.search(line.strip()))]
    except (OSError, TypeError):
        return None
    return (float(found[0].group(1)) if found[0].group(1) else None, found[0].group(2)) if found else None


def phases(peer):
    line = phase_line(peer)
    return line[1] if line else None


def trace(lab, a, b, t0):
    """LINKS_TRACE=1: one line per repetition lining up both peers' introductions and phases with the packets between
    the routers (delay.log; all CLOCK_MONOTONIC), in ms from alice's introduction."""
    la, lb = phase_line(a), phase_line(b)
    if not la or la[0] is None:
        return
    zero = la[0]
    def ms(t): return f"{(t - zero) * 1000:+.0f}"
    packets = lab.direct_packets_after(t0)
    def first(src, check):
        return next((t for t, length, s in packets if s == src and (length == CHECK_IP_LENGTH) == check), None)
    sides = []
    for who, wan in (("alice", "11.1.1.2"), ("bob", "11.1.2.2")):
        c, d = first(wan, True), first(wan, False)
        sides.append(f"{who}'s first check {ms(c) if c else '-'}, first link packet {ms(d) if d else '-'}")
    print(f"  trace: /msg {ms(t0)}; bob's introduction {ms(lb[0]) if lb and lb[0] else '-'}; {'; '.join(sides)}; "
          f"packets between the routers before alice's event: {sum(1 for t, _, _ in packets if t <= zero + 1)}\n"
          f"    alice: {la[1]}\n    bob:   {lb[1] if lb else '-'}", flush=True)


def phase_summary(runs):
    """p50 of each phase named in the peers' lines: 'checks p50 2 ms, first reachable pair p50 31 ms, ...'."""
    values = {}
    for x in runs:
        for part in (x.get("phases") or "").replace(";", ",").split(","):
            m = re.match(r"\s*(.+?) \+(\d+) ms", part)
            if m:
                values.setdefault(m.group(1), []).append(float(m.group(2)))
    return ", ".join(f"{k} p50 {pct(v, 50):.0f} ms" for k, v in values.items()) or "n/a"


def fmt(values):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    return f"p50 {pct(values, 50):.0f} ms, max {max(values):.0f} ms"


def time_to_link(rtts, repeat, timeout):
    for rtt in rtts:
        lab = Lab("cone", rtt // 2)
        try:
            runs = [attempt(lab, r, "h1", "h2", [], timeout) for r in range(repeat)]
        finally:
            lab.close()
        direct = [x for x in runs if x["outcome"] == "direct"]
        goal = 2 * rtt + 100
        after = [x.get("after_intro_ms") for x in direct]
        after_ok = [v for v in after if v is not None]
        verdict = "no direct link" if not after_ok else ("met" if max(after_ok) <= goal else f"missed (max {max(after_ok) / goal:.2f}x the goal)")
        print(f"time to link, cone<->cone, RTT {rtt} ms (one-way delay {rtt // 2} ms each way), {len(direct)}/{repeat} direct: "
              f"after the introduction {fmt(after)} (goal <= 2 RTT + 100 = {goal} ms: {verdict}); "
              f"of which checks until the link's first packet on the direct path {fmt([x.get('checks_ms') for x in direct])}; "
              f"first /msg -> direct link event {fmt([x['t_link_ms'] for x in direct])}; "
              f"first /msg -> a PM carried direct {fmt([x.get('t_carried_ms') for x in direct])}; "
              f"path RTT seen by the peer {fmt([x.get('rtt_ms') for x in direct])}; "
              f"alice's phases from her introduction: {phase_summary(direct)}", flush=True)


def table(numbers, repeat, timeout):
    for n in numbers:
        lab_name, ah, bh, pair, can_direct, extra = SCENARIOS[n]
        try:
            lab = Lab(lab_name)
        except BenchError as e:
            print(f"scenario {n} {pair}: lab could not be built ({e})", flush=True)
            continue
        try:
            runs = [attempt(lab, r, ah, bh, extra, timeout, can_direct) for r in range(repeat)]
        finally:
            lab.close()
        want = "direct" if can_direct else "relay"
        ok = sum(1 for x in runs if x["outcome"] == want)
        counts = {}
        for x in runs:
            key = f"{x['outcome']}" + (f" via {x['via']}" if x["outcome"] == "direct" else "") + (f" IPv{x['ip']}" if x.get("ip") else "")
            counts[key] = counts.get(key, 0) + 1
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        # Why a repetition missed the goal, in the peer's own words (the relay `link` event's reason), so a 19/20 says why.
        missed = [f"#{r} {x['outcome']}: {x.get('reason') or 'no reason given'}" for r, x in enumerate(runs) if x["outcome"] != want]
        print(f"scenario {n} {pair} [{lab_name}]: {ok}/{repeat} {want} ({100 * ok / repeat:.0f} %, goal 100 % {want}); outcomes: {outcomes}; "
              f"time from /msg to the final route {fmt([x['t_link_ms'] for x in runs])}"
              + (f"; missed: {'; '.join(missed)}" if missed else ""), flush=True)


def main():
    o = argparse.ArgumentParser(description="link figures in the real NAT lab")
    o.add_argument("--repeat", type=int, default=20)
    o.add_argument("--rtt", default="20,100")
    o.add_argument("--scenarios", default=",".join(str(n) for n in SCENARIOS))
    o.add_argument("--part", choices=["ttl", "table", "all"], default="all")
    o.add_argument("--timeout", type=float, default=40, help="seconds to wait for a link's final route")
    args = o.parse_args()
    if os.geteuid() != 0:
        raise BenchError("bench-links: the lab figures need root (network namespaces)")
    if args.part in ("ttl", "all"):
        time_to_link([int(x) for x in args.rtt.split(",") if x], args.repeat, args.timeout)
    if args.part in ("table", "all"):
        table([int(x) for x in args.scenarios.split(",") if x], args.repeat, args.timeout)


if __name__ == "__main__":
    try:
        main()
    finally:
        stop(procs)
