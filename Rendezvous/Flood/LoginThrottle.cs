// Per-address sign-in throttle: after N consecutive failures the address is blocked for a while.
using System.Net;

namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per IP address: <c>failures</c> counts consecutive failed sign-ins; when it reaches
/// <c>maxFailures</c> the address is blocked until <c>now + blockFor</c>. A success resets the count;
/// when a block ends the count starts again from zero. Thread-safe; time comes from the injected clock.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, int maxFailures, TimeSpan blockFor)
{
    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly object _gate = new();

    /// <summary>How long <paramref name="address"/> stays blocked, or null when it may try.</summary>
    public TimeSpan? BlockedFor(IPAddress address)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(address, out var e) || e.BlockedUntil is not { } until) return null;
            var left = until - time.GetUtcNow();
            if (left > TimeSpan.Zero) return left;
            _entries.Remove(address);
            return null;
        }
    }

    /// <summary>Counts a failure; returns the block length when this failure started a block.</summary>
    public TimeSpan? RecordFailure(IPAddress address)
    {
        lock (_gate)
        {
            if (BlockedFor(address) is { } left) return left;
            var e = _entries.TryGetValue(address, out var found) ? found : new Entry();
            e.Failures++;
            if (e.Failures >= maxFailures) e.BlockedUntil = time.GetUtcNow() + blockFor;
            _entries[address] = e;
            PruneIfLarge();
            return e.BlockedUntil is null ? null : blockFor;
        }
    }

    public void RecordSuccess(IPAddress address)
    {
        lock (_gate) _entries.Remove(address);
    }

    private void PruneIfLarge()
    {
        if (_entries.Count < 100_000) return;
        var now = time.GetUtcNow();
        foreach (var (address, e) in _entries.ToList())
            if (e.BlockedUntil is null || e.BlockedUntil <= now) _entries.Remove(address);
    }

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset? BlockedUntil;
    }
}
