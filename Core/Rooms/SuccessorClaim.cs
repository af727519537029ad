// When the member next in the succession takes the room: the pure rule, on the facts its watch and the others give it.
namespace P2PChat.Core.Rooms;

/// <summary>What the member next in line knows when it considers claiming the room.</summary>
/// <param name="Silence">how long the host it watches has been silent (<see cref="HostWatch.Silence"/>).</param>
/// <param name="Timeout">the watch's timeout now (<see cref="HostWatch.Timeout"/>).</param>
/// <param name="Reached">whether it has had a stream to that host since it began watching it.</param>
/// <param name="SinceAsked">how long ago another member last asked it to host (failing over to it), null if none did
/// since it began watching this host.</param>
/// <param name="OtherMembers">members of the room other than itself and the host (who could ask it).</param>
/// <param name="ReachingHost">an attempt to reach the host is still under way (its answer may be a newer state).</param>
public readonly record struct ClaimFacts(TimeSpan Silence, TimeSpan Timeout, bool Reached, TimeSpan? SinceAsked, int OtherMembers, bool ReachingHost = false);

public enum ClaimDecision
{
    /// <summary>The host is not given up: keep (re)connecting to it.</summary>
    KeepHost,
    /// <summary>We suspect the host, but alone so far: reconnect to it, and wait for another member to ask or for the long silence.</summary>
    Wait,
    /// <summary>Claim: another member suspects the host too (it asked us within <see cref="SuccessorClaim.AskWindow"/>).</summary>
    ClaimAsked,
    /// <summary>Claim: nobody else could ask (a room of two).</summary>
    ClaimAlone,
    /// <summary>Claim: the host has been silent for <see cref="SuccessorClaim.LongSilenceFactor"/> × the timeout, nobody asked
    /// (the others may be cut off from us as well as from the host), and no attempt to reach the host is under way.</summary>
    ClaimLongSilence,
}

/// <summary>
/// The member next in the succession claims the room only when the host is given up (silent for the watch's timeout;
/// a host not reached yet is first given <see cref="FirstReachGrace"/>) and, besides, the room agrees: another member
/// asked it to host within <see cref="AskWindow"/>, or no other member exists, or the silence has lasted
/// <see cref="LongSilenceFactor"/> × the timeout with no attempt to reach the host still under way (that attempt's
/// answer may be a newer state: a host that handed the room off answers "not the host" with the handoff; a successor
/// whose stream stalled before the handoff reached it claimed the old epoch's room after 3.25 s while its reconnect was
/// pending, and its claim won the merge against the elected host). Its own suspicion alone is not enough: a stream that dies silently
/// as both sides replace a link during a handoff, or a pause of its own, made the first successor claim a live host's
/// room after a vote (RoomHandoffTests, 1 run in 80). A host that is really gone is suspected by every member within
/// the same timeout, and each one's first move is to ask the successor, so the ask is there when the successor's own
/// suspicion comes (or comes just after it): the real failover is not slowed.
/// </summary>
public static class SuccessorClaim
{
    /// <summary>
    /// How long a host we have not reached yet (we just started, or it just took the room: a handoff, a claim) is given
    /// before its silence counts: the link to it may take seconds to make on a loaded machine (a link attempt's own
    /// timeout is 10 s), and its silence until then says nothing about it.
    /// </summary>
    public static readonly TimeSpan FirstReachGrace = TimeSpan.FromSeconds(10);

    /// <summary>An ask counts this long: members retry the host and then the successor every tick while they suspect it.</summary>
    public static readonly TimeSpan AskWindow = HostWatch.Ceiling;

    public const double LongSilenceFactor = 2;

    /// <summary>The host we watch is gone as far as our own watch can tell.</summary>
    public static bool HostGivenUp(in ClaimFacts f) => f.Silence >= f.Timeout && (f.Reached || f.Silence >= FirstReachGrace);

    public static ClaimDecision Decide(in ClaimFacts f)
    {
        if (!HostGivenUp(f)) return ClaimDecision.KeepHost;
        if (f.SinceAsked is { } ago && ago <= AskWindow) return ClaimDecision.ClaimAsked;
        if (f.OtherMembers == 0) return ClaimDecision.ClaimAlone;
        if (f.Silence >= f.Timeout * LongSilenceFactor && !f.ReachingHost) return ClaimDecision.ClaimLongSilence;
        return ClaimDecision.Wait;
    }

    public static bool Claims(this ClaimDecision d) => d is ClaimDecision.ClaimAsked or ClaimDecision.ClaimAlone or ClaimDecision.ClaimLongSilence;
}
