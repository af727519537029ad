// The one thread that runs the key files' deferred flushes (fsync, fdatasync), so a flush never holds a pool thread.
namespace P2PChat.Peer.E2e;

/// <summary>
/// A <see cref="KeyFileWrite.SyncSoon"/> save is flushed after its caller has moved on. That flush blocks in the
/// kernel for 2–10 ms on this machine's disk when quiet (tens under load). On a thread-pool thread it held one of the
/// pool's few threads (two on two cores, one of them already blocked in the headless stdin read) while the message it
/// followed still had its event to deliver on the pool. Flushes run here instead, in order, on one background thread
/// started on first use; a flush queued while one runs waits for it (each covers whatever its file holds when it runs).
/// <para>The idle thread sleeps in <see cref="Monitor.Wait(object)"/>, which blocks at once. It used to wait in a
/// BlockingCollection, whose semaphore spins before it blocks: about 25 sched_yield calls each time the queue ran dry,
/// i.e. after nearly every flush, 16 per PM exchange on the receiving peer (strace, docs/benchmarks.md "Session 10
/// (N)"), CPU taken from the PM path on a two-core machine.</para>
/// </summary>
internal static class DiskSyncThread
{
    private static readonly Queue<Action> Pending = new();
    private static bool _started;

    /// <summary>Runs <paramref name="flush"/> on the sync thread, after the flushes queued before it.</summary>
    public static void Queue(Action flush)
    {
        lock (Pending)
        {
            Pending.Enqueue(flush);
            if (!_started)
            {
                _started = true;
                new Thread(Run) { IsBackground = true, Name = "p2pchat key file sync" }.Start();
            }
            else if (Pending.Count == 1) Monitor.Pulse(Pending);   // the thread may be waiting for this one
        }
    }

    private static void Run()
    {
        while (true)
        {
            Action flush;
            lock (Pending)
            {
                while (Pending.Count == 0) Monitor.Wait(Pending);
                flush = Pending.Dequeue();
            }
            flush();
        }
    }
}
