// One contact's link while it is being made and while it lives: its path socket, transport endpoint, probes and route.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Links;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Links;

/// <summary>State of one contact's link, guarded by the owning <see cref="PeerLinks"/>' lock.</summary>
internal sealed class LinkAttempt(Tag peer, string name, IdentityPublicKey expected, bool controlling, LinkPathSocket path, UdpTransportEndpoint endpoint)
{
    public Tag Peer { get; } = peer;
    public string Name { get; } = name;
    public IdentityPublicKey Expected { get; } = expected;
    public bool Controlling { get; } = controlling;
    public LinkPathSocket Path { get; } = path;
    public UdpTransportEndpoint Endpoint { get; } = endpoint;
    public TaskCompletionSource<ContactLink> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public List<ProbeSession> Probes { get; } = [];

    public ContactLink? Link { get; set; }
    /// <summary>The probe whose path is in use (null while relayed).</summary>
    public ProbeSession? Active { get; set; }
    public DirectPath? Direct { get; set; }
    public DateTimeOffset Since { get; set; }
    public bool Ended { get; set; }
    public bool UpgradeScheduled { get; set; }
    /// <summary>Fresh introductions asked for since the link was last direct (the next waits <see cref="PeerLinks.UpgradeDelay"/>).</summary>
    public int UpgradeTries { get; set; }
    /// <summary>Why the last checks found no direct path (said in the relayed link's events), or null.</summary>
    public string? NoDirect { get; set; }
    /// <summary>When a fresh introduction was last asked for (a timestamp; 0: never).</summary>
    public long LastUpgradeAsk { get; set; }

    public LinkRoute Route => Active is null ? LinkRoute.Relay : LinkRoute.Direct;

    public LinkEvent Up() => Direct is { } d && Active is not null
        ? new LinkEvent(Name, "up", "direct", "udp", d.Via, 4, Math.Round(d.Rtt.TotalMilliseconds, 2))
        : new LinkEvent(Name, "up", "relay", "udp", "relay", null, RelayRttMs(), NoDirect);

    public LinkEntry Entry() => Direct is { } d && Active is not null
        ? new LinkEntry(Name, "direct", "udp", d.Via, 4, Math.Round(d.Rtt.TotalMilliseconds, 2), Since)
        : new LinkEntry(Name, "relay", "udp", "relay", null, RelayRttMs(), Since);

    private double? RelayRttMs() => Link?.Connection is TransportConnection c && c.Statistics.SmoothedRttMicros > 0
        ? Math.Round(c.Statistics.SmoothedRttMicros / 1000.0, 2) : null;
}
