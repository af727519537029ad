#!/usr/bin/env python3
"""Why a session's ratchet state is saved in place (Peer/E2e/SlotFile) and not by rename: the cost of one save of a
1400-byte state on this disk, the old way (create a temporary file, write, close, rename over the old one) against one
pwrite into a slot of an existing file, each with and without the flush that follows on another thread (fsync of file
and folder / fdatasync), N saves 3 ms apart. Writes only in a temporary folder it removes. Run: python3 scripts/bench/keyfile_write.py [N]"""
import os, shutil, tempfile, time, threading, statistics, sys
d = tempfile.mkdtemp(prefix=f"keyfile-write-{os.getpid()}-")
blob = os.urandom(1400)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
def sync_soon(path):
    def run():
        try:
            fd = os.open(path, os.O_RDWR); os.fsync(fd); os.close(fd)
            dfd = os.open(d, os.O_RDONLY | os.O_DIRECTORY); os.fsync(dfd); os.close(dfd)
        except FileNotFoundError: pass
    threading.Thread(target=run).start()
def rename_way(sync):
    p = os.path.join(d, "a.bin"); ts = []
    for i in range(N):
        t = time.perf_counter()
        fd = os.open(p + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600); os.write(fd, blob); os.close(fd)
        os.rename(p + ".tmp", p)
        ts.append((time.perf_counter() - t) * 1e3)
        if sync: sync_soon(p)
        time.sleep(0.003)
    return ts
def slot_way(sync):
    p = os.path.join(d, "b.bin"); fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o600); os.write(fd, bytes(8192)); os.fsync(fd); ts = []
    for i in range(N):
        t = time.perf_counter()
        os.pwrite(fd, blob, (i % 2) * 4096)
        ts.append((time.perf_counter() - t) * 1e3)
        if sync: threading.Thread(target=lambda: os.fdatasync(fd)).start()
        time.sleep(0.003)
    os.close(fd); return ts
try:
    print(f"keyfile_write: {N} saves each, load average {open('/proc/loadavg').read().split()[:3]}")
    for name, f in (("rename", rename_way), ("slot", slot_way)):
        for sync in (False, True):
            ts = sorted(f(sync))
            print(f"  {name:6s} flush after={sync!s:5s} p50 {statistics.median(ts):.3f} p90 {ts[int(.9*len(ts))]:.3f} p99 {ts[int(.99*len(ts))]:.3f} ms")
finally:
    time.sleep(0.5)
    shutil.rmtree(d, ignore_errors=True)
