// Per-user command rate limit: more than N commands within a window starts a penalty during which commands are refused.
namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per user tag, a sliding window of the times of recent accepted commands. A command is refused when the user is
/// in a penalty; otherwise, if <c>maxCommands</c> were already accepted within the last <c>window</c>
/// (this one would be number N+1), the penalty starts now and lasts <c>penalty</c>; it ends at exactly
/// <c>start + penalty</c>, when the window starts empty again. Thread-safe; time from the injected clock.
/// The state outlives the session: signing off and on again does not reset it (entries are only dropped once
/// their window is empty and no penalty runs, by <see cref="Prune"/>, so memory stays bounded).
/// </summary>
public sealed class CommandRateLimiter(TimeProvider time, int maxCommands, TimeSpan window, TimeSpan penalty)
{
    private readonly Dictionary<uint, Entry> _users = [];
    private readonly object _gate = new();
    private int _acceptsSincePrune;

    /// <summary>Records a command from <paramref name="user"/>; null when allowed, else the penalty time left.</summary>
    public TimeSpan? TryAccept(uint user)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_users.TryGetValue(user, out var e)) _users[user] = e = new Entry();
            if (e.PenaltyUntil is { } until)
            {
                if (now < until) return until - now;
                e.PenaltyUntil = null;
                e.Times.Clear();
            }
            while (e.Times.Count > 0 && now - e.Times.Peek() >= window) e.Times.Dequeue();
            if (e.Times.Count >= maxCommands)
            {
                e.PenaltyUntil = now + penalty;
                e.Times.Clear();
                return penalty;
            }
            e.Times.Enqueue(now);
            e.LastAccepted = now;
            if (++_acceptsSincePrune >= 4096) Prune(now);
            return null;
        }
    }

    /// <summary>Users tracked now (for tests and diagnostics).</summary>
    public int Tracked { get { lock (_gate) return _users.Count; } }

    /// <summary>Drops users whose window is empty and who have no penalty running: they are exactly as if new.</summary>
    private void Prune(DateTimeOffset now)
    {
        _acceptsSincePrune = 0;
        foreach (var (user, e) in _users.ToList())
            if ((e.PenaltyUntil is null || e.PenaltyUntil <= now) && (e.Times.Count == 0 || now - e.LastAccepted >= window))
                _users.Remove(user);
    }

    private sealed class Entry
    {
        public readonly Queue<DateTimeOffset> Times = new();
        public DateTimeOffset? PenaltyUntil;
        /// <summary>The newest entry of <see cref="Times"/> (a Queue has no O(1) Last: Prune walked every queue).</summary>
        public DateTimeOffset LastAccepted;
    }
}
