// REGISTER throttle: at most N sign-ups per address and M in total within sliding windows (each costs a password hash).
using System.Net;

namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Two sliding windows of accepted REGISTER attempts: per IP address (<c>perAddress</c> within
/// <c>addressWindow</c>) and for the whole server (<c>global</c> within <c>globalWindow</c>). An attempt over either
/// is refused before any password is hashed, with the time until the oldest attempt leaves its window. Every
/// attempt that gets as far as hashing counts, whether or not the name was free. Thread-safe; injected clock.
/// </summary>
public sealed class SignUpThrottle(TimeProvider time, int perAddress, TimeSpan addressWindow, int global, TimeSpan globalWindow)
{
    private readonly Dictionary<IPAddress, Queue<DateTimeOffset>> _byAddress = [];
    private readonly Queue<DateTimeOffset> _all = new();
    private readonly object _gate = new();

    /// <summary>Takes a sign-up slot for <paramref name="address"/>; null when granted, else how long to wait.</summary>
    public TimeSpan? TryAcquire(IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            Expire(_all, now, globalWindow);
            if (!_byAddress.TryGetValue(address, out var mine)) mine = new Queue<DateTimeOffset>();
            Expire(mine, now, addressWindow);
            TimeSpan? wait = null;
            if (mine.Count >= perAddress) wait = mine.Peek() + addressWindow - now;
            if (_all.Count >= global) wait = Max(wait, _all.Peek() + globalWindow - now);
            if (wait is not null)
            {
                if (mine.Count == 0) _byAddress.Remove(address);
                return wait;
            }
            mine.Enqueue(now);
            _all.Enqueue(now);
            _byAddress[address] = mine;
            if (_byAddress.Count > 100_000)
                foreach (var (a, q) in _byAddress.ToList())
                {
                    Expire(q, now, addressWindow);
                    if (q.Count == 0) _byAddress.Remove(a);
                }
            return null;
        }
    }

    private static void Expire(Queue<DateTimeOffset> q, DateTimeOffset now, TimeSpan window)
    {
        while (q.Count > 0 && now - q.Peek() >= window) q.Dequeue();
    }

    private static TimeSpan Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;
}
