// The one thread that runs the key files' deferred flushes (fsync, fdatasync), so a flush never holds a pool thread.
using System.Collections.Concurrent;

namespace P2PChat.Peer.E2e;

/// <summary>
/// A <see cref="KeyFileWrite.SyncSoon"/> save is flushed after its caller has moved on. That flush blocks in the
/// kernel for 2–10 ms on this machine's disk when quiet (tens under load). On a thread-pool thread it held one of the
/// pool's few threads (two on two cores, one of them already blocked in the headless stdin read) while the message it
/// followed still had its event to deliver on the pool. Flushes run here instead, in order, on one background thread
/// started on first use; a flush queued while one runs waits for it (each covers whatever its file holds when it runs).
/// </summary>
internal static class DiskSyncThread
{
    private static readonly BlockingCollection<Action> Pending = Start();

    /// <summary>Runs <paramref name="flush"/> on the sync thread, after the flushes queued before it.</summary>
    public static void Queue(Action flush) => Pending.Add(flush);

    private static BlockingCollection<Action> Start()
    {
        var pending = new BlockingCollection<Action>();
        new Thread(() =>
        {
            foreach (var flush in pending.GetConsumingEnumerable()) flush();
        })
        { IsBackground = true, Name = "p2pchat key file sync" }.Start();
        return pending;
    }
}
