// The pure path ranker: which path a link should use now, given the current one and fresh measurements of all.
namespace P2PChat.Core.Links.Paths;

/// <param name="Id">a stable name of the path (e.g. "udp 192.0.2.1:5000" or "relay").</param>
/// <param name="Via">its class: LAN, direct (reflexive, probed), mapped, relay.</param>
/// <param name="Rtt">smoothed round-trip time, null while unmeasured.</param>
/// <param name="Alive">the path monitor's verdict.</param>
public sealed record PathSample(string Id, PathVia Via, TimeSpan? Rtt, bool Alive);

/// <param name="RelativeGain">within one class, the newcomer's RTT must be at least this fraction lower...</param>
/// <param name="AbsoluteGain">...and at least this much lower, so jitter on fast paths never causes a switch.</param>
public sealed record RankerOptions(double RelativeGain = 0.2, TimeSpan AbsoluteGain = default)
{
    public static RankerOptions Default { get; } = new(0.2, TimeSpan.FromMilliseconds(3));
}

/// <summary>
/// Order: class first (LAN, then direct, then mapped, then relay), then lower RTT, then measured before unmeasured,
/// then the id (a total, deterministic order). Hysteresis, so a link does not flap:
/// <list type="bullet">
/// <item>a dead current path is always replaced by the best live one (null when none is alive);</item>
/// <item>a live path of a better class replaces the current one once its RTT is measured (leaving the relay, or a
///   router mapping, for a direct path is a real gain whatever the RTT);</item>
/// <item>within the current path's class, a path replaces it only when its RTT is at least 20 % and 3 ms lower
///   (RTTs that wander around each other never cause a switch);</item>
/// <item>a path of a worse class never replaces a live current path.</item>
/// </list>
/// Pure: no clock, no I/O; the caller feeds it the monitor's samples whenever they change.
/// </summary>
public static class PathRanker
{
    public static int Compare(PathSample a, PathSample b)
    {
        int byClass = a.Via.RankClass().CompareTo(b.Via.RankClass());
        if (byClass != 0) return byClass;
        if (a.Rtt is { } ra && b.Rtt is { } rb && ra != rb) return ra.CompareTo(rb);
        if (a.Rtt.HasValue != b.Rtt.HasValue) return a.Rtt.HasValue ? -1 : 1;
        return string.CompareOrdinal(a.Id, b.Id);
    }

    /// <summary>The best live path without hysteresis (for a first choice).</summary>
    public static PathSample? Best(IEnumerable<PathSample> paths)
    {
        PathSample? best = null;
        foreach (var p in paths)
            if (p.Alive && (best is null || Compare(p, best) < 0)) best = p;
        return best;
    }

    /// <summary>The path to use now. <paramref name="currentId"/> is the path in use (null: none yet).</summary>
    public static PathSample? Choose(string? currentId, IReadOnlyList<PathSample> paths, RankerOptions? options = null)
    {
        options ??= RankerOptions.Default;
        var best = Best(paths);
        var current = currentId is null ? null : paths.FirstOrDefault(p => p.Id == currentId);
        if (current is not { Alive: true }) return best;
        if (best is null || best.Id == current.Id) return current;
        int bestClass = best.Via.RankClass(), currentClass = current.Via.RankClass();
        if (bestClass < currentClass) return best.Rtt.HasValue ? best : current;
        if (bestClass > currentClass) return current;
        if (best.Rtt is not { } newRtt) return current;
        if (current.Rtt is not { } oldRtt) return best;
        bool real = newRtt <= oldRtt * (1 - options.RelativeGain) && oldRtt - newRtt >= options.AbsoluteGain;
        return real ? best : current;
    }
}
