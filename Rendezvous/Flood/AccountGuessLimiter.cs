// Per-account password-guessing limit: growing delays after a few failures, which never lock out addresses the owner signed in from.
using System.Net;

namespace P2PChat.Rendezvous.Flood;

/// <summary>
/// Per account name (as typed, case-insensitive, whether or not such an account exists, so the limiter tells no
/// one which names are taken). State machine per account:
/// <code>
///   failures n &lt; free          → every attempt is checked
///   failures n ≥ free           → an attempt before lastFailure + delay(n) is refused (not checked, not counted),
///                                 delay(n) = min(base · 2^(n − free), max)
///   success                     → n = 0, the address becomes familiar
///   no failure for `forget`     → n = 0
/// </code>
/// Only failures from addresses that are not <em>familiar</em> count, and familiar addresses are never delayed:
/// an address is familiar for an account once someone signed in to it from there (the last
/// <see cref="FamiliarPerAccount"/> addresses, for <c>familiarFor</c>). So guesses from a botnet slow down attacks
/// on the account without locking its owner out of the addresses they use (device-bound reconnects with a
/// resumption ticket do not go through the password check at all). Thread-safe; time from the injected clock.
/// </summary>
public sealed class AccountGuessLimiter(TimeProvider time, int free, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan forget, TimeSpan familiarFor)
{
    public const int FamiliarPerAccount = 16;
    private readonly Dictionary<string, Entry> _accounts = [];
    private readonly object _gate = new();

    /// <summary>How long an attempt at <paramref name="account"/> from <paramref name="address"/> must wait, or null when it may be checked now.</summary>
    public TimeSpan? WaitFor(string account, IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_accounts.TryGetValue(Key(account), out var e) || IsFamiliar(e, address, now)) return null;
            if (now - e.LastFailure >= forget) e.Failures = 0;
            if (e.Failures < free) return null;
            var left = e.LastFailure + Delay(e.Failures) - now;
            return left > TimeSpan.Zero ? left : null;
        }
    }

    /// <summary>A wrong password for <paramref name="account"/> from <paramref name="address"/> (not counted from a familiar address).</summary>
    public void RecordFailure(string account, IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = Key(account);
            if (!_accounts.TryGetValue(key, out var e)) _accounts[key] = e = new Entry();
            if (IsFamiliar(e, address, now)) return;
            if (now - e.LastFailure >= forget) e.Failures = 0;
            e.Failures++;
            e.LastFailure = now;
            PruneIfLarge(now);
        }
    }

    /// <summary>The right password: the count restarts and <paramref name="address"/> becomes familiar.</summary>
    public void RecordSuccess(string account, IPAddress address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = Key(account);
            if (!_accounts.TryGetValue(key, out var e)) _accounts[key] = e = new Entry();
            e.Failures = 0;
            e.Familiar.RemoveAll(f => f.Address.Equals(address) || now - f.Seen >= familiarFor);
            e.Familiar.Add((address, now));
            if (e.Familiar.Count > FamiliarPerAccount) e.Familiar.RemoveAt(0);
        }
    }

    /// <summary>The delay after the <paramref name="failures"/>th failure (free ones have none).</summary>
    public TimeSpan Delay(int failures)
    {
        if (failures < free) return TimeSpan.Zero;
        var doublings = Math.Min(failures - free, 30);
        var ticks = Math.Min(baseDelay.Ticks * (1L << doublings), maxDelay.Ticks);
        return TimeSpan.FromTicks(ticks);
    }

    private bool IsFamiliar(Entry e, IPAddress address, DateTimeOffset now) =>
        e.Familiar.Exists(f => f.Address.Equals(address) && now - f.Seen < familiarFor);

    private static string Key(string account) => account.ToLowerInvariant();

    private void PruneIfLarge(DateTimeOffset now)
    {
        if (_accounts.Count < 100_000) return;
        foreach (var (key, e) in _accounts.ToList())
            if (e.Familiar.Count == 0 && now - e.LastFailure >= forget) _accounts.Remove(key);
    }

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset LastFailure = DateTimeOffset.MinValue;
        public readonly List<(IPAddress Address, DateTimeOffset Seen)> Familiar = [];
    }
}
