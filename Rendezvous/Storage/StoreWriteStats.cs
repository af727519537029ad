// Diagnostics of the single SQLite writer: how many writes, how long they queued for it and how long each held it.
using System.Diagnostics;

namespace P2PChat.Rendezvous.Storage;

/// <summary>Totals and maxima (Stopwatch ticks, thread-safe). Every write commits with an fsync (synchronous=FULL), so the
/// time a write holds the writer is mostly the disk's; the time it queues is how far behind the writer is.</summary>
public sealed class StoreWriteStats
{
    private long _count, _commits, _waitTicks, _holdTicks, _maxWaitTicks, _maxHoldTicks;

    /// <summary>Transactions committed (a batch of writes shares one: see SqliteDatabase.WriteAsync).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public void Committed() => Interlocked.Increment(ref _commits);

    public void Observe(long waitTicks, long holdTicks)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _waitTicks, waitTicks);
        Interlocked.Add(ref _holdTicks, holdTicks);
        Max(ref _maxWaitTicks, waitTicks);
        Max(ref _maxHoldTicks, holdTicks);
    }

    /// <summary>(name, value) pairs: writes, mean and max wait and hold in milliseconds.</summary>
    public IEnumerable<(string Name, double Value)> Report()
    {
        var n = Math.Max(1, Interlocked.Read(ref _count));
        static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        yield return ("store_writes", Interlocked.Read(ref _count));
        yield return ("store_commits", Commits);
        yield return ("store_write_wait_ms_mean", Ms(Interlocked.Read(ref _waitTicks) / n));
        yield return ("store_write_wait_ms_max", Ms(Interlocked.Read(ref _maxWaitTicks)));
        yield return ("store_write_hold_ms_mean", Ms(Interlocked.Read(ref _holdTicks) / n));
        yield return ("store_write_hold_ms_max", Ms(Interlocked.Read(ref _maxHoldTicks)));
    }

    private static void Max(ref long field, long value)
    {
        var seen = Volatile.Read(ref field);
        while (value > seen && Interlocked.CompareExchange(ref field, value, seen) is var now && now != seen) seen = now;
    }
}
