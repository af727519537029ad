// The automatic host proposal and the succession order: best reachability first, then lowest median RTT.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>What a member reports about itself: its reachability and its round-trip times to the others (ms).</summary>
public sealed record ReachReport(Tag Member, RoomReach Reach, IReadOnlyList<double> RttMs)
{
    /// <summary>The median RTT; members with no samples rank after those with some.</summary>
    public double MedianRtt
    {
        get
        {
            if (RttMs.Count == 0) return double.PositiveInfinity;
            var sorted = RttMs.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }
}

public static class HostProposal
{
    /// <summary>Median RTTs are compared in steps of this many ms, so jitter of a few ms does not reorder the succession.</summary>
    public const double RttStepMs = 10;

    /// <summary>
    /// Members best first: reachability (direct, mapped, punched, relay only), then median RTT in
    /// <see cref="RttStepMs"/> steps, then lowest tag (a total order, the same at every member).
    /// </summary>
    public static IReadOnlyList<Tag> Rank(IEnumerable<ReachReport> reports) =>
        [.. reports.OrderBy(r => r.Reach).ThenBy(r => Math.Floor(r.MedianRtt / RttStepMs)).ThenBy(r => r.Member.Value).Select(r => r.Member)];

    /// <summary>The proposed host: the best ranked member.</summary>
    public static Tag Propose(IEnumerable<ReachReport> reports) =>
        Rank(reports).FirstOrDefault();

    /// <summary>
    /// The succession for <paramref name="host"/>: every other member, ranked by what they reported; members who
    /// reported nothing come last, by tag.
    /// </summary>
    public static IReadOnlyList<Tag> Succession(RoomState state, Tag host, IReadOnlyDictionary<Tag, ReachReport> reports)
    {
        var others = state.Members.Select(m => m.Tag).Where(t => t != host).ToList();
        var ranked = Rank(others.Where(reports.ContainsKey).Select(t => reports[t]));
        return [.. ranked, .. others.Where(t => !reports.ContainsKey(t)).OrderBy(t => t.Value)];
    }
}
