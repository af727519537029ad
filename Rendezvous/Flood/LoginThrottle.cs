// Per-address sign-in throttle: after N failed sign-ins the address is blocked for a while.
using System.Net;

namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per IP address: failed sign-ins are counted per account name tried; when their sum reaches
/// <c>maxFailures</c> the address is blocked until <c>now + blockFor</c>. A successful sign-in clears only the
/// failures recorded against <em>that</em> account (a user who mistyped their own password starts afresh), so an
/// attacker who signs in to an account of their own between guesses at someone else's gains nothing. When a block
/// ends the count starts again from zero. Thread-safe; time comes from the injected clock.
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

    /// <summary>Counts a failed sign-in at <paramref name="account"/>; returns the block length when it started a block.</summary>
    public TimeSpan? RecordFailure(IPAddress address, string account)
    {
        lock (_gate)
        {
            if (BlockedFor(address) is { } left) return left;
            var e = _entries.TryGetValue(address, out var found) ? found : new Entry();
            var key = account.ToLowerInvariant();
            e.Failures[key] = e.Failures.GetValueOrDefault(key) + 1;
            if (e.Failures.Values.Sum() >= maxFailures) e.BlockedUntil = time.GetUtcNow() + blockFor;
            _entries[address] = e;
            PruneIfLarge();
            return e.BlockedUntil is null ? null : blockFor;
        }
    }

    /// <summary>A successful sign-in to <paramref name="account"/> from <paramref name="address"/>: forgets the failures at that account only.</summary>
    public void RecordSuccess(IPAddress address, string account)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(address, out var e) || e.BlockedUntil is not null) return;
            e.Failures.Remove(account.ToLowerInvariant());
            if (e.Failures.Count == 0) _entries.Remove(address);
        }
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
        public readonly Dictionary<string, int> Failures = [];
        public DateTimeOffset? BlockedUntil;
    }
}
