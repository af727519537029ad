// Per-user command rate limit: more than N commands within a window starts a penalty during which commands are refused.
namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per user tag, a sliding window of the times of recent accepted commands. A command is refused when the user is
/// in a penalty; otherwise, if <c>maxCommands</c> were already accepted within the last <c>window</c>
/// (this one would be number N+1), the penalty starts now and lasts <c>penalty</c>; it ends at exactly
/// <c>start + penalty</c>, when the window starts empty again. Thread-safe; time from the injected clock.
/// </summary>
public sealed class CommandRateLimiter(TimeProvider time, int maxCommands, TimeSpan window, TimeSpan penalty)
{
    private readonly Dictionary<uint, Entry> _users = [];
    private readonly object _gate = new();

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
            return null;
        }
    }

    /// <summary>Forgets a user with no penalty running (called when they sign off) so memory stays bounded.</summary>
    public void Forget(uint user)
    {
        lock (_gate)
            if (_users.TryGetValue(user, out var e) && (e.PenaltyUntil is null || e.PenaltyUntil <= time.GetUtcNow()))
                _users.Remove(user);
    }

    private sealed class Entry
    {
        public readonly Queue<DateTimeOffset> Times = new();
        public DateTimeOffset? PenaltyUntil;
    }
}
