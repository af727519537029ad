// How many one-time prekeys users who are not friends may take: per target and per requester, per hour (sliding).
namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Two sliding windows of one-time prekeys handed to non-friends: per target (whose prekeys are taken) and per
/// requester. When either is spent, the bundle is served without a one-time prekey (the signed prekey is the last
/// resort, <c>docs/security.md</c> 5.3), so strangers cannot drain a user's one-time prekeys, and a session with a
/// stranger still starts. Friends are not limited here (only by the key-request command budget). Thread-safe;
/// injected clock.
/// </summary>
public sealed class PrekeyHandoutLimiter(TimeProvider time, int perTarget, int perRequester, TimeSpan window)
{
    private readonly Dictionary<uint, Queue<DateTimeOffset>> _targets = [];
    private readonly Dictionary<uint, Queue<DateTimeOffset>> _requesters = [];
    private readonly object _gate = new();

    /// <summary>True (and counted) when <paramref name="requester"/> may take one of <paramref name="target"/>'s one-time prekeys now.</summary>
    public bool TryTake(uint requester, uint target)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var t = Window(_targets, target, now);
            var r = Window(_requesters, requester, now);
            if (t.Count >= perTarget || r.Count >= perRequester) return false;
            t.Enqueue(now);
            r.Enqueue(now);
            if (_targets.Count + _requesters.Count > 200_000) Prune(now);
            return true;
        }
    }

    private Queue<DateTimeOffset> Window(Dictionary<uint, Queue<DateTimeOffset>> all, uint user, DateTimeOffset now)
    {
        if (!all.TryGetValue(user, out var q)) all[user] = q = new Queue<DateTimeOffset>();
        while (q.Count > 0 && now - q.Peek() >= window) q.Dequeue();
        return q;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var all in new[] { _targets, _requesters })
            foreach (var (user, q) in all.ToList())
                if (q.Count == 0 || now - q.Last() >= window) all.Remove(user);
    }
}
