// Per-sender budget for offline storage: how many PMs one user may have stored for offline recipients per window.
namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// A sliding window per sender of the PMs stored for offline recipients. Every part of a MSG_MULTI counts (the
/// command rate limit counts the frame once), so a sender cannot fill other users' queues at frame speed.
/// <see cref="TryTake"/> grants as many of the asked slots as the window has room for. Thread-safe; injected clock.
/// </summary>
public sealed class OfflineStoreBudget(TimeProvider time, int perWindow, TimeSpan window)
{
    private readonly Dictionary<uint, Queue<DateTimeOffset>> _senders = [];
    private readonly object _gate = new();

    /// <summary>Takes up to <paramref name="wanted"/> slots for <paramref name="sender"/>; returns how many it got.</summary>
    public int TryTake(uint sender, int wanted)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_senders.TryGetValue(sender, out var q)) _senders[sender] = q = new Queue<DateTimeOffset>();
            while (q.Count > 0 && now - q.Peek() >= window) q.Dequeue();
            var granted = Math.Clamp(perWindow - q.Count, 0, wanted);
            for (var i = 0; i < granted; i++) q.Enqueue(now);
            if (_senders.Count > 100_000)
                foreach (var (user, times) in _senders.ToList())
                    if (times.Count == 0 || now - times.Last() >= window) _senders.Remove(user);
            return granted;
        }
    }

    /// <summary>Gives back slots taken for PMs that were not stored after all (refused by a cap).</summary>
    public void Return(uint sender, int count)
    {
        lock (_gate)
        {
            if (!_senders.TryGetValue(sender, out var q)) return;
            // The newest entries are the ones just taken; a queue cannot drop from its tail, so rebuild it.
            var kept = q.Take(Math.Max(0, q.Count - count)).ToList();
            q.Clear();
            foreach (var t in kept) q.Enqueue(t);
        }
    }
}
