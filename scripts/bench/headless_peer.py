"""Drives real p2pchat --headless processes for the benchmarks: slash commands on stdin, JSON events from stdout, each
event stamped with time.monotonic() when it is read (the same clock as scripts/netlab-delay.py's log)."""
import json, os, queue, re, subprocess, sys, threading, time

# P2PCHAT_TREE: run another built checkout's binaries with this driver (bench-links.sh --baseline: the same driver for both trees).
ROOT = os.environ.get("P2PCHAT_TREE") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def newest_source(root, project):
    """mtime of the newest source file a program is built from: its project's and Core's .cs/.csproj files and the
    shared build settings (bin/ and obj/ left out)."""
    newest = max((os.path.getmtime(os.path.join(root, f)) for f in ("Directory.Build.props", "Directory.Packages.props")
                  if os.path.exists(os.path.join(root, f))), default=0.0)
    for folder in (project, "Core"):
        for here, dirs, files in os.walk(os.path.join(root, folder)):
            dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
            for f in files:
                if f.endswith((".cs", ".csproj")):
                    newest = max(newest, os.path.getmtime(os.path.join(here, f)))
    return newest


def program_dll(root, project, name):
    """The ReadyToRun publish of a program (scripts/programs.sh: precompiled, as deployed) when the tree has one that is
    newer than every source it is built from, completed (its stamp is there) and P2PCHAT_JIT is not 1; else the plain Release build (JIT only)."""
    plain = os.path.join(root, project, "bin/Release/net10.0", name + ".dll")
    r2r = os.path.join(root, project, "bin/Release/net10.0/linux-x64/r2r", name + ".dll")
    stamp = os.path.join(os.path.dirname(r2r), ".publish-complete")  # PROGRAMS_STAMP: a publish that completed
    if os.environ.get("P2PCHAT_JIT") == "1" or not os.path.exists(r2r) or not os.path.exists(stamp):
        return plain
    if newest_source(root, project) > os.path.getmtime(r2r):
        print(f"bench: {r2r} is older than its sources: running {plain} (scripts/programs.sh publishes)", file=sys.stderr)
        return plain
    return r2r


def peer_command(root):
    """The command that runs the peer as deployed: its native AOT executable (scripts/programs.sh) when the tree has a
    completed publish newer than its sources and P2PCHAT_JIT is not 1, else `dotnet` and program_dll's choice (the
    ReadyToRun publish where AOT could not be built, or the plain build)."""
    exe = os.path.join(root, "Peer/bin/Release/net10.0/linux-x64/aot/p2pchat")
    stamp = os.path.join(os.path.dirname(exe), ".publish-complete")  # PROGRAMS_STAMP
    if os.environ.get("P2PCHAT_JIT") != "1" and os.path.exists(exe) and os.path.exists(stamp):
        if newest_source(root, "Peer") <= os.path.getmtime(exe):
            return [exe]
        print(f"bench: {exe} is older than its sources: not running it (scripts/programs.sh publishes)", file=sys.stderr)
    return ["dotnet", program_dll(root, "Peer", "p2pchat")]


SERVER = program_dll(ROOT, "Rendezvous", "p2pchat-rendezvous")
# PEER: the peer's command as a list of words (the executable, or "dotnet" and a .dll).
PEER = peer_command(ROOT)
PASSWORD = "correct horse"


class BenchError(SystemExit):
    pass


class Peer:
    """One headless peer; launcher runs it elsewhere (e.g. ["ip", "netns", "exec", NS])."""

    def __init__(self, name, server, fingerprint, folder, extra=(), launcher=(), procs=None, env=None, stderr_path=None):
        """stderr_path: where the peer's stderr (its log lines) goes; None discards it."""
        self.name = name
        self.events = queue.Queue()
        self.stderr_path = stderr_path
        err = open(stderr_path, "w") if stderr_path else subprocess.DEVNULL
        self.p = subprocess.Popen([*launcher, *PEER, "--headless", "--server", server, "--profile", os.path.join(folder, name),
                                   "--server-fingerprint", fingerprint, *extra],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1, env=env)
        if stderr_path:
            err.close()
        if procs is not None:
            procs.append(self.p)
        threading.Thread(target=self._read, daemon=True).start()
        self.seen = []

    def _read(self):
        for line in self.p.stdout:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            self.events.put((time.monotonic(), e))

    def send(self, command):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()
        return time.monotonic()

    def wait(self, name, match=lambda e: True, timeout=60):
        """(time read, event) of the first event named NAME that matches, already read or still to come."""
        for i, (t, e) in enumerate(self.seen):
            if e.get("event") == name and match(e):
                del self.seen[i]
                return t, e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                t, e = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if e.get("event") == name and match(e):
                return t, e
            self.seen.append((t, e))
            if len(self.seen) > 10000:
                del self.seen[:5000]
        recent = "; ".join(json.dumps(e)[:200] for _, e in self.seen[-8:])
        raise BenchError(f"bench: {self.name}: no {name} event within {timeout} s; last events: {recent}")

    def signed_up(self):
        self.send(f'/register {self.name} "{PASSWORD}"')
        self.wait("registered")
        self.send(f'/login {self.name} "{PASSWORD}"')
        self.wait("signed_in")
        self.wait("status", lambda e: e.get("command") == "prekeys")
        return self

    def quit(self):
        try:
            self.send("/quit")
            self.p.wait(timeout=15)
        except Exception:
            self.p.kill()


def befriend(a, b):
    a.send(f"/friend add {b.name}")
    b.wait("friend_request")
    b.send(f"/friend accept {a.name}")
    a.wait("user", lambda e: e.get("user") == b.name and e.get("friend"))
    b.wait("user", lambda e: e.get("user") == a.name and e.get("friend"))


def start_server(data, procs, *options):
    """Starts a rendezvous server on 127.0.0.1 (port 0, two STUN ports) with its data in `data` and more `options`
    (e.g. "--Rendezvous:MaxCommandsPerWindow=1000000"); adds it to `procs` and returns (address, fingerprint) once it
    has logged both. The rest of its output is drained on a thread."""
    server = subprocess.Popen(["dotnet", SERVER, "--listen", "127.0.0.1:0", "--data", data, "--stun", "127.0.0.1:0,127.0.0.1:0", *options],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    procs.append(server)
    address = fingerprint = None
    for line in server.stdout:
        if m := re.search(r"fingerprint SHA256 ([0-9A-F:]+)", line): fingerprint = m.group(1)
        if m := re.search(r"listening on (\S+)", line): address = m.group(1)
        if address and fingerprint: break
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    return address, fingerprint


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def stop(procs):
    """Kills every process a benchmark started (servers, peers), whatever state they are in."""
    for p in procs:
        try:
            p.kill()
            p.wait(timeout=10)
        except Exception:
            pass
