// How well a member can be reached, best first: what the automatic host proposal ranks first, and how it is judged.
namespace P2PChat.Core.Rooms;

public enum RoomReach : byte
{
    /// <summary>Reachable at its own address: no NAT on the path (a public address).</summary>
    Direct = 0,
    /// <summary>Reachable through a router-mapped port (UPnP, NAT-PMP, PCP): anyone can open a path to it.</summary>
    Mapped = 1,
    /// <summary>Reachable directly only by hole punching (an endpoint-independent NAT, or its link to the host went direct).</summary>
    Punched = 2,
    /// <summary>Only through the server's relay (a symmetric NAT without a mapping, or it keeps its address private).</summary>
    RelayOnly = 3,
}

/// <summary>What a peer knows about its own reachability (from NAT discovery and its link setting).</summary>
/// <param name="AddressPrivate">it publishes no candidate (link setting "nobody"): every link to it is relayed.</param>
/// <param name="NoNat">STUN saw its own address and port.</param>
/// <param name="MappedPort">the router mapped a port for it, and the mapping is live.</param>
/// <param name="EndpointIndependent">its NAT keeps one mapping for all destinations (hole punching works).</param>
public readonly record struct ReachFacts(bool AddressPrivate, bool NoNat, bool MappedPort, bool EndpointIndependent)
{
    /// <summary>Nothing known yet (no discovery ran): judged by the link alone.</summary>
    public static readonly ReachFacts Unknown = new(false, false, false, false);
}

public static class RoomReachRules
{
    /// <summary>
    /// A member's reachability as a host: private beats everything (it chose the relay), then no NAT, a mapped port,
    /// a punchable NAT or a link to the host that went direct, else relay only.
    /// </summary>
    public static RoomReach Classify(ReachFacts facts, bool linkDirect) =>
        facts.AddressPrivate ? RoomReach.RelayOnly
        : facts.NoNat ? RoomReach.Direct
        : facts.MappedPort ? RoomReach.Mapped
        : facts.EndpointIndependent || linkDirect ? RoomReach.Punched
        : RoomReach.RelayOnly;
}
