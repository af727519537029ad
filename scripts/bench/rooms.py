#!/usr/bin/env python3
"""Room benchmarks on loopback with real processes (scripts/bench-rooms.sh runs this; docs/benchmarks.md "Rooms").

One p2pchat-rendezvous on 127.0.0.1 and one `p2pchat --headless` process per member (links to loopback only). In one
run, for each room size in SIZES (default "10 50"):
  * the same members are in an invite-only channel on the server (end-to-end encrypted with sender keys) and in a
    private room hosted by the first member; SENDERS members send MESSAGES messages in turn, as fast as they can,
    first to the channel, then to the room. Throughput: messages per second from the first send to the last delivery
    at every member; latency: from the send to each other member's `message` event, p50/p99.
  * Failover, in a room of KILLS + 2 members: KILLS times, the host process gets SIGKILL and at once a member sends a
    message; time from the kill until that message is shown at every surviving member, p50/p99/max, and whether every
    message was shown exactly once. Each round kills whoever hosts then (the room shrinks to 2).
Both sides of each comparison pay the same headless overheads (a command on stdin, a JSON event on stdout).
"""
import os, shutil, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import headless_peer
from headless_peer import PASSWORD, pct, start_server

# TREE=/path/to/checkout: run that checkout's peer and server instead of this one's (A/B runs of two versions in one
# window, e.g. bisecting a regression): its peer as deployed (the native AOT publish when it has one, as
# headless_peer.peer_command chooses) and its Release build of the server (built with -c Release at least).
if os.environ.get("TREE"):
    headless_peer.PEER = headless_peer.peer_command(os.environ["TREE"])
    headless_peer.SERVER = os.path.join(os.environ["TREE"], "Rendezvous/bin/Release/net10.0/p2pchat-rendezvous.dll")

SIZES = [int(s) for s in os.environ.get("SIZES", "10 50").split()]
MESSAGES = int(os.environ.get("MESSAGES", "200"))
SENDERS = int(os.environ.get("SENDERS", "5"))
KILLS = int(os.environ.get("KILLS", "20"))
FAILOVER_MEMBERS = KILLS + 2
TIMEOUT = float(os.environ.get("EVENT_TIMEOUT", "180"))
ROOM_FIRST = os.environ.get("ROOM_FIRST") == "1"
# LIGHT=1: each peer runs with a lighter .NET runtime configuration (workstation non-concurrent GC, no tiered PGO),
# for rooms of 50 processes on 2 cores; the peer's code is the same.
LIGHT_ENV = {"DOTNET_gcServer": "0", "DOTNET_gcConcurrent": "0", "DOTNET_TieredPGO": "0"} if os.environ.get("LIGHT") == "1" else {}
FOLDER = os.path.join("/tmp", f"bench-rooms-{os.getpid()}")
# ROOMS_LOGS=DIR keeps each peer's stderr as DIR/NAME.stderr (the room's timed "rooms:" failover lines: suspicions,
# asks, claims) and prints each kill's UTC time, to read what a slow failover waited for.
LOGS = os.environ.get("ROOMS_LOGS")
procs = []


class Peer(headless_peer.Peer):
    """The shared headless-peer driver (scripts/bench/headless_peer.py), plus what rooms need: how many times each
    message text was shown (duplicates), SIGKILL, and draining the messages to one target."""

    def __init__(self, name, server, fingerprint):
        self.shown = {}   # message text -> times shown
        env = dict(os.environ, **LIGHT_ENV) if LIGHT_ENV else None
        if LOGS:
            os.makedirs(LOGS, exist_ok=True)
        super().__init__(name, server, fingerprint, FOLDER, extra=("--no-port-mapping", "--loopback-links-only"), procs=procs, env=env,
                         stderr_path=os.path.join(LOGS, f"{name}.stderr") if LOGS else None)

    def _read(self):
        for line in self.p.stdout:
            try:
                e = headless_peer.json.loads(line)
            except ValueError:
                continue
            if e.get("event") == "message":
                self.shown[e.get("text")] = self.shown.get(e.get("text"), 0) + 1
            self.events.put((time.monotonic(), e))

    def wait(self, name, match=lambda e: True, timeout=TIMEOUT):
        return super().wait(name, match, timeout)

    def kill(self):
        self.p.kill()
        self.p.wait(timeout=30)
        return time.monotonic()

    def texts(self, to):
        """Drains what arrived: (time, text) of every message to `to` (a channel or &room)."""
        got = []
        while True:
            try:
                self.seen.append(self.events.get_nowait())
            except headless_peer.queue.Empty:
                break
        rest = []
        for t, e in self.seen:
            (got if e.get("event") == "message" and e.get("to") == to else rest).append((t, e))
        self.seen = rest
        return [(t, e["text"]) for t, e in got]


def started(names, address, fingerprint, batch=int(os.environ.get("BATCH", "5"))):
    """Starts and signs up `batch` peers at a time (BATCH, default 5): a started peer must sign in within the server's
    30 s, and a few dozen TLS handshakes at once on 2 loaded cores get connections reset."""
    peers = []
    for i in range(0, len(names), batch):
        group = [Peer(name, address, fingerprint) for name in names[i:i + batch]]
        sign_up(group)
        peers += group
    return peers


def sign_up(group):
    for p in group: p.send(f'/register {p.name} "{PASSWORD}"')
    for p in group: p.wait("registered")
    for p in group: p.send(f'/login {p.name} "{PASSWORD}"')
    for p in group: p.wait("signed_in")
    for p in group: p.wait("status", lambda e: e.get("command") == "prekeys")


def channel_of(peers, channel):
    owner = peers[0]
    owner.send(f"/create {channel} invite-only")
    owner.wait("joined", lambda e: e.get("channel") == channel)
    for p in peers[1:]:
        owner.send(f"/invite {p.name} {channel}")
        p.wait("invite", lambda e: e.get("channel") == channel)
        p.send(f"/join {channel}")
        p.wait("joined", lambda e: e.get("channel") == channel and e.get("user") in (None, p.name))


def room_of(peers, room):
    host = peers[0]
    host.send(f"/room create {room}")
    host.wait("room_joined", lambda e: e.get("name") == room)
    for p in peers[1:]:
        host.send(f"/room invite {p.name} &{room}")
        _, invite = p.wait("room_invite", lambda e: e.get("name") == room)
        p.send(f"/room join {invite['room']}")
    for p in peers:
        p.wait("room_state", lambda e: e.get("name") == room and len(e["members"]) == len(peers) and all(m["online"] for m in e["members"]))


def measure(peers, to, label):
    senders = peers[:SENDERS]
    for i, s in enumerate(senders):
        s.send(f"/msg {to} warm {label} {i}")
    for p in peers:
        for i, s in enumerate(senders):
            if s is not p: p.wait("message", lambda e, i=i: e.get("to") == to and e.get("text") == f"warm {label} {i}")
    sent_at, sent_by = {}, {}
    first = time.monotonic()
    for k in range(MESSAGES):
        text = f"{label} {k}"
        sender = senders[k % len(senders)]
        sent_at[text], sent_by[text] = sender.send(f"/msg {to} {text}"), sender.name
    latencies, last = [], first
    for p in peers:
        # every other member's copy counts (a room also shows the sender its own post back; that is not counted)
        pending = {text for text in sent_at if sent_by[text] != p.name}
        deadline = time.time() + TIMEOUT
        while pending and time.time() < deadline:
            for t, text in p.texts(to):
                if text in pending:
                    pending.discard(text)
                    latencies.append((t - sent_at[text]) * 1000)
                    last = max(last, t)
            if pending: time.sleep(0.01)
        if pending:
            raise SystemExit(f"bench-rooms: {p.name} is missing {len(pending)} of {MESSAGES} messages to {to}")
    return MESSAGES / (last - first), latencies


def failover(peers, room):
    """KILLS rounds of: SIGKILL the host, send at once, time until every survivor shows it. Each round kills whoever
    hosts then, so the room shrinks from KILLS + 2 members to 2. (A killed member is not started again: after a kill
    the others' links to the dead process linger until the transport's idle timeout, which would time links, not rooms.)"""
    by_name = {p.name: p for p in peers}
    alive = list(peers)
    host = peers[0].name
    times = []
    for k in range(KILLS):
        victim = by_name[host]
        alive.remove(victim)
        killed_utc = time.strftime("%H:%M:%S", time.gmtime()) + f".{int(time.time() * 1000) % 1000:03d}"
        killed_at = victim.kill()
        text = f"after kill {k}"
        alive[-1].send(f"/msg &{room} {text}")
        done = killed_at
        for p in alive:
            t, _ = p.wait("message", lambda e: e.get("to") == f"&{room}" and e.get("text") == text)
            done = max(done, t)
        times.append((done - killed_at) * 1000)
        _, h = alive[0].wait("room_state", lambda e: e.get("host") != victim.name and e.get("host") in by_name and by_name[e.get("host")] in alive)
        host = h["host"]
        for p in alive:
            p.wait("room_state", lambda e: e.get("host") == host)
        print(f"  kill {k + 1}: {times[-1]:.0f} ms, {len(alive)} left, host now {host}; {open('/proc/loadavg').read().split()[0]}"
              + (f" (killed {victim.name} at {killed_utc} UTC)" if LOGS else ""), flush=True)
    texts = {f"after kill {k}" for k in range(KILLS)}
    dup = sum(n - 1 for p in peers for text, n in p.shown.items() if text in texts and n > 1)
    return times, 0, dup


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(ps):
    """User + system CPU seconds the processes `ps` (Popen) have used so far (a measure that the machine's load
    inflates far less than wall-clock rates: the figure for A/B runs on a shared machine)."""
    total = 0
    for p in ps:
        try:
            fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def rss_mib(ps):
    """Resident memory of the processes `ps` (Popen), MiB each: mean and max (a room of 50 is 50 processes)."""
    sizes = []
    for p in ps:
        try:
            for line in open(f"/proc/{p.pid}/status"):
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            pass
    return (sum(sizes) / len(sizes), max(sizes)) if sizes else (0, 0)


def load():
    return "load " + " ".join(open("/proc/loadavg").read().split()[:3])


def main():
    os.makedirs(FOLDER)
    address, fingerprint = start_server(os.path.join(FOLDER, "server"), procs, "--Rendezvous:MaxCommandsPerWindow=1000000", "--Rendezvous:MaxSignUpsPerAddress=1000", "--Rendezvous:MaxSignUpsGlobal=1000",
                               "--Rendezvous:MaxOfflineStoresPerMinute=1000000", "--Rendezvous:MaxConnectionsPerAddress=1000", "--Rendezvous:MaxUnauthenticatedPerAddress=1000")

    if KILLS > 0:
        peers = started([f"fo{i}" for i in range(FAILOVER_MEMBERS)], address, fingerprint)
        room_of(peers, "failover")
        print(f"failover: {KILLS} kills of the host (SIGKILL) in a room of {FAILOVER_MEMBERS}:", flush=True)
        times, lost, dup = failover(peers, "failover")
        ok = "met" if pct(times, 99) <= 3000 and lost == 0 and dup == 0 else "MISSED"
        print(f"failover: time from the kill to a message sent at once shown at every survivor: p50 {pct(times, 50):.0f} ms, "
              f"p99 {pct(times, 99):.0f} ms, max {max(times):.0f} ms; lost {lost}, shown twice {dup} (goal p99 <= 3000 ms, none lost: {ok}); {load()}", flush=True)

    # cpu ms/msg: CPU time of every member process (and, for the channel, the server) from the first send to the
    # last delivery, per message sent
    print(f"{'members':>7} | {'path':<22} | {'msg/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} | {'cpu ms/msg':>10}")
    for size in SIZES:
        peers = started([f"s{size}m{i}" for i in range(size)], address, fingerprint)
        channel_of(peers, f"#bench{size}")
        room_of(peers, f"bench{size}")
        members = [p.p for p in peers]
        mean, most = rss_mib(members)
        print(f"{size:>7} | members formed a channel and a room: resident memory per peer process mean {mean:.0f} MiB, max {most:.0f} MiB; {load()}", flush=True)
        def timed(to, tag, label):
            """Measures one path and prints its line at once (a path that then fails elsewhere keeps this figure)."""
            before = cpu_seconds(members + [procs[0]])
            rate, lat = measure(peers, to, tag)
            cpu = (cpu_seconds(members + [procs[0]]) - before) * 1000 / MESSAGES
            print(f"{size:>7} | {label:<22} | {rate:7.0f} | {pct(lat, 50):7.1f} | {pct(lat, 99):7.1f} | {cpu:10.1f} | {load()}", flush=True)
            return rate, lat, cpu
        # ROOM_FIRST=1 measures the room before the channel (for a large room, whose channel phase may not finish)
        if ROOM_FIRST:
            rate_r, lat_r, cpu_r = timed(f"&bench{size}", f"r{size}", "room (peer-hosted)")
            rate_c, lat_c, cpu_c = timed(f"#bench{size}", f"c{size}", "invite-only channel")
        else:
            rate_c, lat_c, cpu_c = timed(f"#bench{size}", f"c{size}", "invite-only channel")
            rate_r, lat_r, cpu_r = timed(f"&bench{size}", f"r{size}", "room (peer-hosted)")
        print(f"{size:>7} | ratio room/channel     | {rate_r / rate_c:7.2f} | {pct(lat_r, 50) / pct(lat_c, 50):7.2f} | {pct(lat_r, 99) / pct(lat_c, 99):7.2f} | {cpu_r / cpu_c:10.2f} | {load()}", flush=True)
        for p in peers:
            p.kill()

try:
    main()
finally:
    headless_peer.stop(procs)
    shutil.rmtree(FOLDER, ignore_errors=True)
