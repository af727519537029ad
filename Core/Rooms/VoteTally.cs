// /room vote: one vote per member per epoch; a majority of members elects; ties break deterministically.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Votes count only in the epoch they were cast for (a host change starts a new count). A member's later vote
/// replaces its earlier one. A candidate elected when more than half the members (online or not) voted for it. When
/// every member has voted and nobody has a majority, the tie breaks toward the candidate first in the order
/// (host, then succession, then lowest tag), so every member computes the same result from the same votes.
/// </summary>
public sealed class VoteTally
{
    private readonly Dictionary<Tag, Tag> _votes = [];

    public VoteTally(uint epoch) => Epoch = epoch;

    public uint Epoch { get; private set; }
    public IReadOnlyDictionary<Tag, Tag> Votes => _votes;

    /// <summary>Records a vote; a vote by or for a non-member, or for another epoch, is refused.</summary>
    public void Cast(RoomState state, Tag voter, Tag candidate, uint epoch)
    {
        if (epoch != state.Epoch) throw new RoomProtocolException($"a vote for epoch {epoch} in epoch {state.Epoch}");
        if (!state.IsMember(voter)) throw new RoomProtocolException("a vote by a non-member");
        if (!state.IsMember(candidate)) throw new RoomProtocolException($"a vote for {candidate}, who is not a member");
        Sync(state);
        _votes[voter] = candidate;
    }

    /// <summary>Drops votes by or for members who left, and every vote of an earlier epoch.</summary>
    public void Sync(RoomState state)
    {
        if (state.Epoch != Epoch)
        {
            _votes.Clear();
            Epoch = state.Epoch;
        }
        foreach (var (voter, candidate) in _votes.ToList())
            if (!state.IsMember(voter) || !state.IsMember(candidate)) _votes.Remove(voter);
    }

    /// <summary>The elected candidate, or null while nobody has a majority and not everyone has voted.</summary>
    public Tag? Winner(RoomState state)
    {
        Sync(state);
        if (_votes.Count == 0) return null;
        var counts = _votes.Values.GroupBy(c => c).Select(g => (Candidate: g.Key, Votes: g.Count())).ToList();
        var best = counts.Max(c => c.Votes);
        if (best * 2 > state.Members.Count) return counts.First(c => c.Votes == best).Candidate;
        if (_votes.Count < state.Members.Count) return null;
        var order = new[] { state.Host }.Concat(state.Succession).ToList();
        return counts.Where(c => c.Votes == best).Select(c => c.Candidate)
            .OrderBy(c => order.IndexOf(c) is var i && i >= 0 ? i : int.MaxValue).ThenBy(c => c.Value).First();
    }
}
