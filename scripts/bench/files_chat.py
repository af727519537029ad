#!/usr/bin/env python3
"""PM round trip between real processes during a file transfer (scripts/bench-files.sh --part chat runs this).

One p2pchat-rendezvous on 127.0.0.1 and two headless peers (alice, bob) that send only to loopback. Once their link is
direct: EXCHANGES PM round trips idle (alice /msg bob, bob's message event, bob /msg alice, alice's message event),
then alice /send bob a file of BYTES random bytes, bob accepts, and PM round trips go on, one after another, for as long
as the transfer runs. Prints the idle and during round trips (p50/p99), the transfer's rate from accept to bob's
file_done, each peer's peak resident memory (VmHWM) and the CPU seconds per GiB of both peers together during the
transfer. Both round trips include the same headless overheads (stdin command, JSON event on stdout).
"""
import os, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_peer import Peer as LabPeer, befriend, pct, start_server, stop   # noqa: E402

BYTES = int(os.environ.get("BYTES", str(1 << 30)))
EXCHANGES = int(os.environ.get("EXCHANGES", "200"))
procs = []
FOLDER = tempfile.mkdtemp(prefix=f"bench-files-chat-{os.getpid()}-")


def Peer(name, server, fingerprint, extra=()):
    return LabPeer(name, server, fingerprint, FOLDER, ["--no-port-mapping", "--loopback-links-only",
                                                       "--download-folder", os.path.join(FOLDER, "in-" + name), *extra], procs=procs)


def round_trip(a, b, i):
    t0 = a.send(f"/msg {b.name} ping {i}")
    _, m = b.wait("message", lambda e: e.get("text") == f"ping {i}")
    if m.get("route") != "direct":
        raise SystemExit(f"bench-files: ping {i} came by {m.get('route')}, expected direct")
    b.send(f"/msg {a.name} pong {i}")
    t1, _ = a.wait("message", lambda e: e.get("text") == f"pong {i}")
    return (t1 - t0) * 1000


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    source = os.path.join(FOLDER, "payload.bin")
    with open(source, "wb") as f:
        for left in range(BYTES, 0, -(1 << 20)):
            f.write(os.urandom(min(1 << 20, left)))
    address, fingerprint = start_server(os.path.join(FOLDER, "server"), procs)

    alice = Peer("alice", address, fingerprint).signed_up()
    bob = Peer("bob", address, fingerprint).signed_up()
    befriend(alice, bob)
    alice.send("/msg bob hello")
    alice.wait("link", lambda e: e.get("route") == "direct", timeout=60)
    bob.wait("message", lambda e: e.get("text") == "hello")
    bob.send("/msg alice hi")
    alice.wait("message", lambda e: e.get("text") == "hi")
    for i in range(20): round_trip(alice, bob, f"w{i}")   # warm-up
    idle = sorted(round_trip(alice, bob, f"i{i}") for i in range(EXCHANGES))

    before = {p.name: status(p.p.pid, "VmHWM") / 1e6 for p in (alice, bob)}
    alice.send(f"/send bob {source}")
    _, offer = bob.wait("file_offer", lambda e: e.get("from") == "alice", timeout=300)
    cpu0 = cpu_seconds(alice.p.pid) + cpu_seconds(bob.p.pid)
    t0 = bob.send(f"/accept {offer['id']}")
    bob.wait("file_progress", lambda e: e.get("id") == offer["id"] and e.get("bytes", 0) > 0, timeout=120)
    during, n = [], 0

    def done():
        return any(e.get("event") == "file_done" and e.get("id") == offer["id"] for _, e in bob.seen)
    while not done():
        during.append(round_trip(alice, bob, f"d{n}"))
        n += 1
        if n > 200000: raise SystemExit("bench-files: the transfer never finished")
    t1 = next(t for t, e in bob.seen if e.get("event") == "file_done" and e.get("id") == offer["id"])
    cpu1 = cpu_seconds(alice.p.pid) + cpu_seconds(bob.p.pid)
    peaks = {p.name: status(p.p.pid, "VmHWM") / 1e6 for p in (alice, bob)}
    during.sort()
    print(f"chat during a {BYTES} byte transfer between two headless processes (direct link on loopback):")
    print(f"  transfer {BYTES / 1e6 / (t1 - t0):.1f} MB/s (accept -> file_done {t1 - t0:.2f} s), CPU {(cpu1 - cpu0) / (BYTES / (1 << 30)):.2f} s/GiB (both peers)")
    print(f"  peak RSS alice (sender) {peaks['alice']:.0f} MB, bob (receiver) {peaks['bob']:.0f} MB "
          f"(before the transfer: {before['alice']:.0f} MB, {before['bob']:.0f} MB)")
    print(f"  PM round trip idle   p50 {pct(idle, 50):.2f} ms  p99 {pct(idle, 99):.2f} ms  (n {len(idle)})")
    print(f"  PM round trip during p50 {pct(during, 50):.2f} ms  p99 {pct(during, 99):.2f} ms  (n {len(during)})" if during else "  no round trip completed during the transfer")
    for p in (alice, bob): p.quit()


try:
    main()
finally:
    stop(procs)
    shutil.rmtree(FOLDER, ignore_errors=True)
