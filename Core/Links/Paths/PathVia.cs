// How a path reaches the peer, as the link event reports it (via lan/reflexive/mapped/probed/relay) and the ranker orders it.
namespace P2PChat.Core.Links.Paths;

/// <summary>Declared best first: the ranker's class order is LAN, direct (reflexive and probed), mapped, relay.</summary>
public enum PathVia
{
    /// <summary>Both ends on one private network (host candidates).</summary>
    Lan,
    /// <summary>Direct over the internet through NAT bindings (reflexive, peer-reflexive, global IPv6/public host).</summary>
    Reflexive,
    /// <summary>Direct, found by birthday probing of a symmetric NAT's ports.</summary>
    Probed,
    /// <summary>Direct through a router-mapped port (UPnP IGD, PCP, NAT-PMP).</summary>
    Mapped,
    /// <summary>Through the rendezvous server's relay.</summary>
    Relay,
}

public static class PathViaNames
{
    /// <summary>The lower-case name used in events and docs.</summary>
    public static string Name(this PathVia via) => via.ToString().ToLowerInvariant();

    /// <summary>The ranker's class: 0 LAN, 1 direct (reflexive or probed), 2 mapped, 3 relay.</summary>
    public static int RankClass(this PathVia via) => via switch
    {
        PathVia.Lan => 0,
        PathVia.Reflexive or PathVia.Probed => 1,
        PathVia.Mapped => 2,
        _ => 3,
    };
}
