// A re-introduction's candidates: a fresh discovery's when it ends within a bound, else the ones found before, at once.
namespace P2PChat.Peer.Links;

/// <summary>
/// Both sides of an introduction must check at the same moment: a stateful firewall admits the other side's checks only
/// while ours are going out. A re-introduction used to wait for a whole fresh NAT discovery first, 7.75 s where a STUN
/// server never answers, longer than the other side's 6.2 s of checks (lab: every IPv6 pair of every session went
/// unanswered). Waiting at most a bound, then going on with what was known, keeps the two sessions overlapping.
/// </summary>
public static class BoundedRefresh
{
    /// <summary><paramref name="refresh"/>'s result if it ends within <paramref name="bound"/> (Fresh), else
    /// <paramref name="known"/> (the refresh goes on).</summary>
    public static async Task<(T Value, bool Fresh)> WithinAsync<T>(Task<T> refresh, T known, TimeSpan bound, TimeProvider time, CancellationToken ct)
    {
        try
        {
            return (await refresh.WaitAsync(bound, time, ct).ConfigureAwait(false), true);
        }
        catch (TimeoutException) { }
        return (known, false);
    }
}
