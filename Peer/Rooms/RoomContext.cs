// What a room needs from the peer around it: who we are, the links, the clock, where events go, and user names.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Protocol;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Rooms;

/// <param name="NameOf">a user's name for events (the server directory's username; tests use the tag).</param>
public sealed record RoomContext(Tag Me, IdentityKeyPair Identity, IContactLinks Links, TimeProvider Time, IEventSink Events, Func<Tag, string> NameOf)
{
    /// <summary>Strikes (malformed frames, refused states or votes, bad reveals, floods) before the host excludes a member.</summary>
    public int StrikeLimit { get; init; } = 5;

    /// <summary>Posts a member may make in one flood window before it is struck.</summary>
    public int FloodPosts { get; init; } = 200;

    /// <summary>Silence after which a member suspects the host gone (HostWatch; a stream that ends is reconnected, not taken for a lost host).</summary>
    public TimeSpan HostTimeout { get; init; } = Core.Rooms.HostWatch.DefaultTimeout;

    /// <summary>What this peer knows of its own reachability (NAT discovery, port mapping, link setting), read at each
    /// Hello; the host ranks the succession by it (HostProposal).</summary>
    public Func<Core.Rooms.ReachFacts> Reach { get; init; } = () => Core.Rooms.ReachFacts.Unknown;

    /// <summary>Where rooms are saved so they survive a restart (null: not saved, as in most tests).</summary>
    public RoomStore? Store { get; init; }

    /// <summary>Where the room's failover decisions are written, one line each ("rooms: ..."): the headless peer's
    /// stderr, the test lab's per-member log (P2PCHAT_TEST_LOGS). Rare lines only: suspicions, claims, streams lost.</summary>
    public Action<string>? Log { get; init; }

    public static readonly TimeSpan FloodWindow = TimeSpan.FromSeconds(5);
}
