#!/usr/bin/env python3
"""Link benchmarks on loopback with real processes (scripts/bench-links.sh runs this).

One p2pchat-rendezvous on 127.0.0.1 and headless peers that send only to loopback (--no-port-mapping,
--loopback-links-only). Measured, in one run:
  * time to direct: from the first /msg to a friend with no link until the link event says route direct
    (the first PM itself goes through the server and opens the link); REPEATS fresh pairs;
  * PM round trip: alice /msg bob, bob's message event, bob /msg alice, alice's message event; EXCHANGES times over a
    direct link, and the same exchange between two peers started with --no-direct-pms (through the server), p50/p99.
Both round trips include the same headless overheads (stdin command, JSON event on stdout), so their ratio is fair.
"""
import os, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_peer import PEER, Peer as LabPeer, befriend, pct, start_server, stop   # noqa: E402

EXCHANGES = int(os.environ.get("EXCHANGES", "1000"))
REPEATS = int(os.environ.get("REPEATS", "5"))
procs = []


def Peer(name, server, fingerprint, folder, extra=()):
    # LINKS_TRACE=1: keep each peer's stderr (its log lines), to print where the last pair's link set-up went.
    err = os.path.join(folder, name + ".stderr") if os.environ.get("LINKS_TRACE") == "1" else None
    return LabPeer(name, server, fingerprint, folder, ["--no-port-mapping", "--loopback-links-only", *extra], procs=procs, stderr_path=err)


def log_lines(peer, *needles):
    """The peer's log lines holding any of NEEDLES (LINKS_TRACE=1 only)."""
    if not peer.stderr_path:
        return []
    with open(peer.stderr_path) as f:
        return [line.strip() for line in f if any(n in line for n in needles)]


def pm(a, b, text):
    a.send(f"/msg {b.name} {text}")
    return b.wait("message", lambda e: e.get("text") == text)[1]


def round_trips(a, b, n, route):
    rtts = []
    for i in range(n):
        t0 = a.send(f"/msg {b.name} ping {i}")
        _, m = b.wait("message", lambda e, i=i: e.get("text") == f"ping {i}")
        if m.get("route") != route:
            raise SystemExit(f"bench-links: ping {i} came by {m.get('route')}, expected {route}")
        b.send(f"/msg {a.name} pong {i}")
        t1, _ = a.wait("message", lambda e, i=i: e.get("text") == f"pong {i}")
        rtts.append((t1 - t0) * 1000)
    return rtts


def status_kib(pid, field):
    """A /proc/PID/status memory field (VmRSS, VmHWM) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def slowest(rtts):
    """The slowest 1 % by exchange number (where the tail falls: early = warm-up/JIT, evenly spread = periodic work)."""
    worst = sorted(range(len(rtts)), key=lambda i: -rtts[i])[:max(1, len(rtts) // 100)]
    return ", ".join(f"#{i} {rtts[i]:.1f}" for i in sorted(worst))


FOLDER = tempfile.mkdtemp(prefix=f"bench-links-{os.getpid()}-")


def main():
    folder = FOLDER
    print(f"peer program: {' '.join(PEER)}")
    address, fingerprint = start_server(os.path.join(folder, "server"), procs, "--Rendezvous:MaxCommandsPerWindow=1000000", "--Rendezvous:MaxSignUpsPerAddress=1000", "--Rendezvous:MaxSignUpsGlobal=1000", "--Rendezvous:MaxOfflineStoresPerMinute=1000000")

    to_direct = []
    for r in range(REPEATS):
        a = Peer(f"alice{r}", address, fingerprint, folder).signed_up()
        b = Peer(f"bobby{r}", address, fingerprint, folder).signed_up()
        befriend(a, b)
        t0 = a.send(f"/msg {b.name} hello")
        t1, _ = a.wait("link", lambda e: e.get("route") == "direct", timeout=60)
        b.wait("message", lambda e: e.get("text") == "hello")
        to_direct.append((t1 - t0) * 1000)
        if r < REPEATS - 1:
            for p in (a, b):
                p.send("/quit")
    alice, bob = a, b
    for p in (alice, bob):
        for line in log_lines(p, "time to link from the introduction", "warmed up", "warm-up"):
            print(f"  {p.name}: {line}")
    pm(bob, alice, "hi")   # bob's session with alice exists both ways now
    bob.wait("link", lambda e: e.get("route") == "direct")
    for i in range(20): round_trips(alice, bob, 1, "direct")   # warm-up
    cpu0 = sum(cpu_seconds(p.p.pid) for p in (alice, bob))
    direct = round_trips(alice, bob, EXCHANGES, "direct")
    cpu_direct = (sum(cpu_seconds(p.p.pid) for p in (alice, bob)) - cpu0) / EXCHANGES * 1e6

    carol = Peer("carol", address, fingerprint, folder, ["--no-direct-pms"]).signed_up()
    dave = Peer("dave", address, fingerprint, folder, ["--no-direct-pms"]).signed_up()
    befriend(carol, dave)
    pm(carol, dave, "hi"); pm(dave, carol, "hi")
    for i in range(20): round_trips(carol, dave, 1, "server")
    through_server = round_trips(carol, dave, EXCHANGES, "server")

    rss = {p.name: (status_kib(p.p.pid, "VmRSS") / 1024, status_kib(p.p.pid, "VmHWM") / 1024) for p in (alice, bob)}
    direct_order, server_order = direct, through_server
    direct, through_server = sorted(direct), sorted(through_server)
    to_direct.sort()
    print(f"time to direct (first /msg to a friend without a link -> link route direct), {REPEATS} pairs: "
          f"p50 {pct(to_direct, 50):.0f} ms, max {to_direct[-1]:.0f} ms")
    print(f"PM round trip over {EXCHANGES} exchanges (headless, loopback):")
    print(f"  direct link   p50 {pct(direct, 50):.2f} ms  p99 {pct(direct, 99):.2f} ms")
    print(f"  via server    p50 {pct(through_server, 50):.2f} ms  p99 {pct(through_server, 99):.2f} ms")
    print(f"  direct slowest 1 % (exchange #, ms): {slowest(direct_order)}")
    print(f"  via server slowest 1 % (exchange #, ms): {slowest(server_order)}")
    print(f"  peer CPU per direct exchange (both peers, user + system): {cpu_direct:.0f} us")
    print("  peer memory after the exchanges (RSS / peak, MiB): " + ", ".join(f"{n} {now:.0f} / {peak:.0f}" for n, (now, peak) in rss.items()))
    print(f"ratio direct/server p50 {pct(direct, 50) / pct(through_server, 50):.2f} p99 {pct(direct, 99) / pct(through_server, 99):.2f}")


try:
    main()
finally:
    stop(procs)
    shutil.rmtree(FOLDER, ignore_errors=True)
