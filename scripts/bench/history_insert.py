#!/usr/bin/env python3
"""history.db's insert latency with SQLite's automatic WAL checkpoint in the committing call (the peer before session 8)
against wal_autocheckpoint=0 (the peer now: HistoryCheckpointer checkpoints on another thread). Same schema, pragmas
and one transaction per line as Peer/History/HistoryStore; the two modes alternate in batches, in one run.
    python3 scripts/bench/history_insert.py [LINES_PER_MODE]   (default 4000)"""
import os, sqlite3, sys, tempfile, time

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
SCHEMA = """CREATE TABLE lines(id INTEGER PRIMARY KEY AUTOINCREMENT, buffer TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL,
            sent_at INTEGER NOT NULL, kind INTEGER NOT NULL, encrypted INTEGER NOT NULL, offline INTEGER NOT NULL);
            CREATE INDEX lines_by_buffer ON lines(buffer, id);"""


def open_db(folder, name, auto):
    db = sqlite3.connect(os.path.join(folder, name), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
    db.execute(f"PRAGMA wal_autocheckpoint={1000 if auto else 0}")
    db.executescript(SCHEMA)
    return db


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))]


with tempfile.TemporaryDirectory(prefix=f"history-insert-{os.getpid()}-") as folder:
    dbs = {"autocheckpoint (before)": open_db(folder, "a.db", True), "checkpoint off the path (after)": open_db(folder, "b.db", False)}
    times = {k: [] for k in dbs}
    checkpoints = []
    for batch in range(0, LINES, 100):
        for mode, db in dbs.items():
            for i in range(batch, batch + 100):
                t = time.perf_counter()
                db.execute("INSERT INTO lines(buffer, sender, text, sent_at, kind, encrypted, offline) VALUES (?,?,?,?,?,?,?) RETURNING id",
                           ("@bob", "alice", f"ping {i}", 1765000000000 + i, 1, 1, 0)).fetchone()
                times[mode].append((time.perf_counter() - t) * 1000)
            if mode.startswith("checkpoint") and (batch // 100) % 2 == 1:
                t = time.perf_counter()
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")   # what HistoryCheckpointer does every 200 lines, off the timed path
                checkpoints.append((time.perf_counter() - t) * 1000)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"history insert, {LINES} lines per mode, load average {' '.join(load)}")
    for mode, xs in times.items():
        slow = sum(1 for x in xs if x > 1.0)
        print(f"  {mode:32} p50 {pct(xs, 50):.3f} ms  p99 {pct(xs, 99):.3f} ms  p99.9 {pct(xs, 99.9):.2f} ms  max {max(xs):.2f} ms  over 1 ms: {slow}")
    print(f"  the moved checkpoints themselves (every 200 lines, {len(checkpoints)}): p50 {pct(checkpoints, 50):.2f} ms  max {max(checkpoints):.2f} ms")
