#!/usr/bin/env python3
"""A headless peer's start-up and idle footprint on loopback (scripts/bench-links.sh --part footprint runs this).

One p2pchat-rendezvous on 127.0.0.1, then PEERS headless peers started one after the other (--no-port-mapping,
--loopback-links-only). For each: wall time and CPU seconds (user + system, /proc/PID/stat) from process start until
it is signed in with its prekeys published; then, after all have sat idle for IDLE_SECONDS, each one's resident memory
(VmRSS) and peak (VmHWM). p50 and max over the peers. Which program ran (ReadyToRun publish or plain build) is printed
first (scripts/programs.sh).
"""
import os, shutil, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from headless_peer import PEER, Peer, pct, start_server, stop   # noqa: E402

PEERS = int(os.environ.get("PEERS", "5"))
IDLE_SECONDS = float(os.environ.get("IDLE_SECONDS", "10"))
TICKS = os.sysconf("SC_CLK_TCK")
procs = []


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS   # utime, stime (fields 14 and 15 of stat)


def status_mib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024


def main(folder):
    print(f"peer program: {' '.join(PEER)}")
    address, fingerprint = start_server(os.path.join(folder, "server"), procs, "--Rendezvous:MaxSignUpsPerAddress=1000",
                                        "--Rendezvous:MaxSignUpsGlobal=1000")
    peers, wall, cpu = [], [], []
    for i in range(PEERS):
        t0 = time.monotonic()
        p = Peer(f"idle{i}", address, fingerprint, folder, ["--no-port-mapping", "--loopback-links-only"], procs=procs)
        p.signed_up()
        wall.append(time.monotonic() - t0)
        cpu.append(cpu_seconds(p.p.pid))
        peers.append(p)
    time.sleep(IDLE_SECONDS)   # what is measured: memory after sitting idle, not a synchronisation
    rss = [status_mib(p.p.pid, "VmRSS") for p in peers]
    peak = [status_mib(p.p.pid, "VmHWM") for p in peers]
    print(f"peer start to signed in with prekeys, {PEERS} peers: wall p50 {pct(wall, 50):.2f} s max {max(wall):.2f} s, "
          f"CPU p50 {pct(cpu, 50):.2f} s max {max(cpu):.2f} s")
    print(f"idle peer memory after {IDLE_SECONDS:.0f} s: RSS p50 {pct(rss, 50):.1f} MiB max {max(rss):.1f}, "
          f"peak p50 {pct(peak, 50):.1f} MiB max {max(peak):.1f}")


if __name__ == "__main__":
    FOLDER = tempfile.mkdtemp(prefix=f"bench-footprint-{os.getpid()}-")
    try:
        main(FOLDER)
    finally:
        stop(procs)
        shutil.rmtree(FOLDER, ignore_errors=True)
