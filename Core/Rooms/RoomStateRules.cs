// Who may change what in a room: the checks that refuse a stale, forged or unauthorised state, and the split-brain order.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// A successor state (<see cref="CheckSuccessor"/>) must: name the same room and creator; have a higher version; be
/// signed by a member of the held state with the identity key the held state lists (so a key cannot be swapped in by
/// the very state that lists it); keep every remaining member's identity key; and stay within the signer's rights:
/// <list type="bullet">
/// <item>add members: the host or a moderator;</item>
/// <item>remove oneself (leave): anyone; remove plain members: the host (leave, exclusion) or a moderator; remove a moderator: the creator; nobody removes the creator;</item>
/// <item>change roles, name: the creator (roles) or a moderator (name); bans: a moderator;</item>
/// <item>rotation setting, succession: the host or a moderator;</item>
/// <item>host and epoch: the epoch rises exactly when the host changes, and the signer is the old host (handoff) or the
/// new one (failover claim).</item>
/// </list>
/// A rival state (<see cref="CheckRival"/>), the other side of a healed partition or of a false failover, is accepted
/// as a candidate when its signer is a member we know with the same key and had authority over one of the two lines.
/// <see cref="Prefer(SignedRoomState, SignedRoomState)"/> then picks one deterministically, so every member converges
/// on the same state whichever order it hears them in; <see cref="Judge"/> is the whole decision a holder makes.
/// </summary>
public static class RoomStateRules
{
    /// <summary>The first state a joiner holds: self-consistent and signed by a member it lists.</summary>
    public static void CheckFirst(SignedRoomState candidate)
    {
        candidate.State.CheckShape();
        var signer = candidate.State.Find(candidate.Signer) ?? throw new RoomProtocolException("the state is signed by a non-member");
        if (!candidate.SignedBy(signer.Identity)) throw new RoomProtocolException("forged room state: bad signature");
    }

    public static void CheckSuccessor(RoomState held, SignedRoomState candidate)
    {
        var next = candidate.State;
        CheckCommon(held, candidate);
        if (next.Version <= held.Version) throw new RoomProtocolException($"stale room state: version {next.Version} is not above {held.Version}");
        var signer = held.Find(candidate.Signer)!;
        var isHost = signer.Tag == held.Host;
        var added = next.Members.Where(m => !held.IsMember(m.Tag)).ToList();
        var removed = held.Members.Where(m => !next.IsMember(m.Tag)).ToList();
        if (added.Count > 0 && !(isHost || signer.Moderates))
            throw new RoomProtocolException("only the host or a moderator admits members");
        foreach (var gone in removed)
        {
            var allowed = gone.Role switch
            {
                _ when gone.Tag == signer.Tag => true,
                RoomRole.Creator => false,
                RoomRole.Moderator => signer.Role == RoomRole.Creator,
                _ => isHost || signer.Moderates || gone.Tag == signer.Tag,
            };
            if (!allowed) throw new RoomProtocolException($"{signer.Tag} may not remove {gone.Tag}");
        }
        foreach (var m in next.Members)
        {
            if (held.Find(m.Tag) is { } before && before.Role != m.Role && signer.Role != RoomRole.Creator)
                throw new RoomProtocolException("only the creator changes roles");
            if (added.Contains(m) && m.Role != RoomRole.Member && signer.Role != RoomRole.Creator)
                throw new RoomProtocolException("only the creator admits someone as moderator");
        }
        if (next.Name != held.Name && !signer.Moderates) throw new RoomProtocolException("only a moderator renames the room");
        if (!next.Banned.SequenceEqual(held.Banned) && !signer.Moderates) throw new RoomProtocolException("only a moderator bans");
        if (next.RotationMinutes != held.RotationMinutes && !(isHost || signer.Moderates))
            throw new RoomProtocolException("only the host or a moderator sets rotation");
        if (next.Host != held.Host)
        {
            if (next.Epoch <= held.Epoch) throw new RoomProtocolException("a host change must raise the epoch");
            if (signer.Tag != held.Host && signer.Tag != next.Host)
                throw new RoomProtocolException("a host change is signed by the old host or the new one");
        }
        else
        {
            if (next.Epoch != held.Epoch) throw new RoomProtocolException("the epoch changes only with the host");
            if (!next.Succession.SequenceEqual(held.Succession) && !(isHost || signer.Moderates || removed.Count > 0))
                throw new RoomProtocolException("only the host reorders the succession");
        }
    }

    /// <summary>
    /// A rival must be signed by a member we know with the key we know, who had authority over one of the two lines:
    /// the host it names (a claim, or that host's own change), our host (a handoff it signed to another member), or a
    /// moderator. Until session 8 only the first was accepted, so a claim and a handoff of equal epoch and version that
    /// crossed each other were each refused by the other's holder, and members stayed on different states.
    /// </summary>
    public static void CheckRival(RoomState held, SignedRoomState candidate)
    {
        CheckCommon(held, candidate);
        var signer = held.Find(candidate.Signer)!;
        if (candidate.Signer != candidate.State.Host && candidate.Signer != held.Host && !signer.Moderates)
            throw new RoomProtocolException("a rival state is signed by the host it names, our host or a moderator");
    }

    /// <summary>
    /// What the holder of <paramref name="held"/> does with <paramref name="candidate"/>: nothing (<see cref="StateVerdict.Same"/>),
    /// take it as the next state (<see cref="StateVerdict.Successor"/>), take it as a rival that wins
    /// (<see cref="StateVerdict.Rival"/>: a merge), or keep its own (<see cref="StateVerdict.Keep"/>: a rival that loses,
    /// answered with ours). Throws <see cref="RoomProtocolException"/> for a forged, unauthorised or stale state. For any
    /// set of rivals grown from one state by one step each (its host's change, a moderator's, a handoff, claims), a
    /// holder of any of them takes the one <see cref="Prefer(SignedRoomState, SignedRoomState)"/> puts first, and that
    /// one's holder keeps it.
    /// </summary>
    public static StateVerdict Judge(SignedRoomState held, SignedRoomState candidate)
    {
        if (candidate.State.Digest().AsSpan().SequenceEqual(held.State.Digest())) return StateVerdict.Same;
        try
        {
            CheckSuccessor(held.State, candidate);
            return StateVerdict.Successor;
        }
        catch (RoomProtocolException successorProblem)
        {
            var wins = Beats(candidate, held);
            if (!wins && candidate.State.Version <= held.State.Version && candidate.State.Epoch <= held.State.Epoch)
                throw new RoomProtocolException(successorProblem.Message);
            CheckRival(held.State, candidate);
            return wins ? StateVerdict.Rival : StateVerdict.Keep;
        }
    }

    private static void CheckCommon(RoomState held, SignedRoomState candidate)
    {
        var next = candidate.State;
        next.CheckShape();
        if (next.Id != held.Id) throw new RoomProtocolException("the state is for another room");
        if (next.Creator != held.Creator) throw new RoomProtocolException("the creator never changes");
        var signer = held.Find(candidate.Signer) ?? throw new RoomProtocolException("the state is signed by a non-member");
        if (!candidate.SignedBy(signer.Identity)) throw new RoomProtocolException("forged room state: bad signature");
        foreach (var m in next.Members)
            if (held.Find(m.Tag) is { } before && !before.Identity.Equals(m.Identity))
                throw new RoomProtocolException($"the state changes {m.Tag}'s identity key");
    }

    /// <summary>
    /// The split-brain order: the state with the higher epoch wins, then the higher version, then the lower host tag,
    /// then the lower digest. A total order, so two hosts that meet agree on the winner.
    /// </summary>
    public static RoomState Prefer(RoomState a, RoomState b)
    {
        if (a.Epoch != b.Epoch) return a.Epoch > b.Epoch ? a : b;
        if (a.Version != b.Version) return a.Version > b.Version ? a : b;
        if (a.Host != b.Host) return a.Host.Value < b.Host.Value ? a : b;
        return a.Digest().AsSpan().SequenceCompareTo(b.Digest()) <= 0 ? a : b;
    }

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="held"/> in <see cref="Prefer(RoomState, RoomState)"/>.</summary>
    public static bool Beats(RoomState candidate, RoomState held) =>
        !ReferenceEquals(Prefer(candidate, held), held) && !candidate.Digest().AsSpan().SequenceEqual(held.Digest());

    /// <summary>
    /// The order on signed states that members apply: as <see cref="Prefer(RoomState, RoomState)"/>, except that at equal
    /// epoch and version a state signed by the host it names (a claim, or that host's own change) comes before one signed
    /// by someone else (a handoff signed by the old host, a moderator's change), so the winner of the two is one the
    /// other's holder accepts (<see cref="CheckRival"/>). A total order: members that hear the same states in any order
    /// end on the same one.
    /// </summary>
    public static SignedRoomState Prefer(SignedRoomState a, SignedRoomState b)
    {
        if (a.State.Epoch == b.State.Epoch && a.State.Version == b.State.Version)
        {
            var aByHost = a.Signer == a.State.Host;
            if (aByHost != (b.Signer == b.State.Host)) return aByHost ? a : b;
        }
        return ReferenceEquals(Prefer(a.State, b.State), a.State) ? a : b;
    }

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="held"/> in <see cref="Prefer(SignedRoomState, SignedRoomState)"/>.</summary>
    public static bool Beats(SignedRoomState candidate, SignedRoomState held) =>
        !ReferenceEquals(Prefer(candidate, held), held) && !candidate.State.Digest().AsSpan().SequenceEqual(held.State.Digest());
}

/// <summary>What a holder does with a state it is offered (<see cref="RoomStateRules.Judge"/>).</summary>
public enum StateVerdict
{
    /// <summary>The state we hold.</summary>
    Same,
    /// <summary>The next state of ours, within the signer's rights.</summary>
    Successor,
    /// <summary>A rival (another host's line after a partition or a false failover) that wins the order: merge into it.</summary>
    Rival,
    /// <summary>A rival that loses the order: keep ours (and answer with it).</summary>
    Keep,
}
