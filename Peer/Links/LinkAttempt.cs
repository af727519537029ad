// One contact's link while it is being made and while it lives: its path socket, transport endpoint, checks and route.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Links;

/// <summary>State of one contact's link, guarded by the owning <see cref="PeerLinks"/>' lock.</summary>
/// <param name="introduced">when the introduction that made it arrived (a timestamp; the start of <see cref="Phases"/>).</param>
internal sealed class LinkAttempt(Tag peer, string name, IdentityPublicKey expected, bool controlling, LinkPathSocket path, UdpTransportEndpoint endpoint, long introduced)
{
    public Tag Peer { get; } = peer;
    public string Name { get; } = name;
    public IdentityPublicKey Expected { get; } = expected;
    public bool Controlling { get; } = controlling;
    public LinkPathSocket Path { get; } = path;
    public UdpTransportEndpoint Endpoint { get; } = endpoint;
    public TaskCompletionSource<ContactLink> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>When each phase of making the link was reached (one log line says where the time went).</summary>
    public LinkPhases Phases { get; } = new(introduced);
    /// <summary>The engine sessions still checking (one per introduction); canceled when a path is chosen or the link ends.</summary>
    public List<CancellationTokenSource> Checks { get; } = [];

    public ContactLink? Link { get; set; }
    /// <summary>The engine's nominated path in use (null while relayed).</summary>
    public EstablishedPath? Active { get; set; }
    /// <summary>The monitor of <see cref="Active"/>.</summary>
    public PathMonitor? Monitor { get; set; }
    /// <summary>What this link learned about our NAT's binding lifetime; carried over to the next path's monitor.</summary>
    public BindingLifetime Lifetime { get; set; } = BindingLifetime.Unknown;
    /// <summary>The direct path's round trip: the check's, else the first consent check's (null: not measured yet).</summary>
    public TimeSpan? DirectRtt { get; set; }
    public DateTimeOffset Since { get; set; }
    public bool Ended { get; set; }
    public bool UpgradeScheduled { get; set; }
    /// <summary>An introduction came while the link was up: its connection is being asked for a sign of life.</summary>
    public bool Verifying { get; set; }
    /// <summary>Fresh introductions asked for since the link was last direct (the next waits <see cref="PeerLinks.UpgradeDelay"/>).</summary>
    public int UpgradeTries { get; set; }
    /// <summary>Why the last checks found no direct path (said in the relayed link's events), or null.</summary>
    public string? NoDirect { get; set; }
    /// <summary>When a fresh introduction was last asked for (a timestamp; 0: never).</summary>
    public long LastUpgradeAsk { get; set; }

    public LinkRoute Route => Active is null ? LinkRoute.Relay : LinkRoute.Direct;

    /// <summary>The <c>link</c> event for the link as it is now (route, how the path was found, IP version, RTT).</summary>
    public LinkEvent Up() => Active is { } p
        ? new LinkEvent(Name, "up", "direct", TransportOf(p), p.Via.Name(), IpVersion(p), RttMs(DirectRtt))
        : new LinkEvent(Name, "up", "relay", "udp", "relay", null, RelayRttMs(), NoDirect);

    public LinkEntry Entry() => Active is { } p
        ? new LinkEntry(Name, "direct", TransportOf(p), p.Via.Name(), IpVersion(p), RttMs(Monitor?.Rtt ?? DirectRtt), Since)
        : new LinkEntry(Name, "relay", "udp", "relay", null, RelayRttMs(), Since);

    /// <summary>udp, or tcp for a path checked on the TCP base (Core/Links/Tcp).</summary>
    public static string TransportOf(EstablishedPath p) => p.Local.Transport == CandidateTransport.Udp ? "udp" : "tcp";

    private static int IpVersion(EstablishedPath p) => p.Remote.IsIpv6 ? 6 : 4;

    private static double? RttMs(TimeSpan? rtt) => rtt is { } r ? Math.Round(r.TotalMilliseconds, 2) : null;

    private double? RelayRttMs() => Link?.Connection is TransportConnection c && c.Statistics.SmoothedRttMicros > 0
        ? Math.Round(c.Statistics.SmoothedRttMicros / 1000.0, 2) : null;
}
