// Per-user command rate limit: more than N commands within a window starts a penalty during which commands are refused.
using System.Collections.Concurrent;

namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per user tag, a sliding window of the times of recent accepted commands. A command is refused when the user is
/// in a penalty; otherwise, if <c>maxCommands</c> were already accepted within the last <c>window</c>
/// (this one would be number N+1), the penalty starts now and lasts <c>penalty</c>; it ends at exactly
/// <c>start + penalty</c>, when the window starts empty again. Thread-safe; time from the injected clock.
/// The state outlives the session: signing off and on again does not reset it (entries are only dropped once
/// their window is empty and no penalty runs, by <see cref="Prune"/>, so memory stays bounded).
/// <para>Cost per command (it runs for almost every frame): one lookup in a concurrent map and a lock on that user's own
/// entry, so the read loops of different users never wait for each other; times are the clock's raw timestamps.</para>
/// </summary>
public sealed class CommandRateLimiter
{
    private const int PruneEvery = 4096;
    private readonly ConcurrentDictionary<uint, Entry> _users = new();
    private readonly TimeProvider _time;
    private readonly int _maxCommands;
    private readonly long _window;
    private readonly long _penalty;
    private int _acceptsSincePrune;

    public CommandRateLimiter(TimeProvider time, int maxCommands, TimeSpan window, TimeSpan penalty)
    {
        _time = time;
        _maxCommands = maxCommands;
        _window = ToTimestamp(window);
        _penalty = ToTimestamp(penalty);
    }

    /// <summary>Records a command from <paramref name="user"/>; null when allowed, else the penalty time left.</summary>
    public TimeSpan? TryAccept(uint user)
    {
        var now = _time.GetTimestamp();
        TimeSpan? refused;
        while (true)
        {
            var e = _users.GetOrAdd(user, static _ => new Entry());
            lock (e)
            {
                if (e.Pruned) continue;   // dropped between the lookup and the lock: look again
                refused = Accept(e, now);
            }
            break;
        }
        if (refused is null && Interlocked.Increment(ref _acceptsSincePrune) == PruneEvery)
        {
            Volatile.Write(ref _acceptsSincePrune, 0);
            Prune(now);
        }
        return refused;
    }

    private TimeSpan? Accept(Entry e, long now)
    {
        if (e.PenaltyUntil is { } until)
        {
            if (now < until) return FromTimestamp(until - now);
            e.PenaltyUntil = null;
            e.Times.Clear();
        }
        while (e.Times.Count > 0 && now - e.Times.Peek() >= _window) e.Times.Dequeue();
        if (e.Times.Count >= _maxCommands)
        {
            e.PenaltyUntil = now + _penalty;
            e.Times.Clear();
            return FromTimestamp(_penalty);
        }
        e.Times.Enqueue(now);
        e.LastAccepted = now;
        return null;
    }

    /// <summary>Users tracked now (for tests and diagnostics).</summary>
    public int Tracked => _users.Count;

    /// <summary>Drops users whose window is empty and who have no penalty running: they are exactly as if new.</summary>
    private void Prune(long now)
    {
        foreach (var (user, e) in _users)
            lock (e)
                if ((e.PenaltyUntil is null || e.PenaltyUntil <= now) && (e.Times.Count == 0 || now - e.LastAccepted >= _window))
                {
                    e.Pruned = true;
                    _users.TryRemove(new KeyValuePair<uint, Entry>(user, e));
                }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.Ticks * ((double)_time.TimestampFrequency / TimeSpan.TicksPerSecond));

    private TimeSpan FromTimestamp(long ticks) => _time.GetElapsedTime(0, ticks);

    private sealed class Entry
    {
        /// <summary>Accepted commands' timestamps, oldest first.</summary>
        public readonly Queue<long> Times = new();
        public long? PenaltyUntil;
        /// <summary>The newest entry of <see cref="Times"/> (a Queue has no O(1) Last: Prune walked every queue).</summary>
        public long LastAccepted;
        /// <summary>Removed from the map by <see cref="Prune"/>: a caller that still found it looks it up again.</summary>
        public bool Pruned;
    }
}
