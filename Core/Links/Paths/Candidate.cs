// One address a peer can be reached at (RFC 8445 "candidate"): what kind it is, where, over which transport, its priority.
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Links.Paths;

/// <summary>How a candidate was learned. The order of the members is no preference; see <see cref="CandidatePriority"/>.</summary>
public enum CandidateKind
{
    /// <summary>An interface address of the host (LAN IPv4/IPv6, or a global address with no NAT in front).</summary>
    Host,
    /// <summary>The address:port a STUN server saw (server-reflexive).</summary>
    Reflexive,
    /// <summary>A port the router forwards to us (UPnP IGD, PCP, NAT-PMP).</summary>
    Mapped,
    /// <summary>The source address of an authenticated check from the peer that matched no known candidate.</summary>
    PeerReflexive,
    /// <summary>The rendezvous server's relay (addressed by tag, not by endpoint); ranked last, never checked here.</summary>
    Relay,
}

/// <summary>RFC 6544 TCP candidate types; UDP is the default and the only one the engine checks today.</summary>
public enum CandidateTransport
{
    Udp,
    /// <summary>Opens outgoing TCP connections only (port 9 on the wire in RFC 6544).</summary>
    TcpActive,
    /// <summary>Listens for incoming TCP connections.</summary>
    TcpPassive,
    /// <summary>Connects to the peer's S-O candidate while the peer connects to ours (TCP simultaneous open).</summary>
    TcpSimultaneousOpen,
}

/// <param name="Kind">how the address was learned.</param>
/// <param name="EndPoint">where to send (for <see cref="CandidateKind.Relay"/> a placeholder the relay names).</param>
/// <param name="Transport">UDP, or one of the TCP candidate types.</param>
public sealed record Candidate(CandidateKind Kind, IPEndPoint EndPoint, CandidateTransport Transport = CandidateTransport.Udp)
{
    /// <summary>The RFC 8445 section 5.1.2 priority (type preference, IPv6 before IPv4, one component).</summary>
    public uint Priority => CandidatePriority.For(this);

    public bool IsIpv6 => EndPoint.AddressFamily == AddressFamily.InterNetworkV6 && !EndPoint.Address.IsIPv4MappedToIPv6;

    /// <summary>
    /// A host candidate on a private network (RFC 1918, 100.64/10 shared address space, link-local, IPv6 ULA
    /// fc00::/7 and link-local): reachable only from the same LAN, so a path to it is a LAN path.
    /// </summary>
    public bool IsLan => Kind == CandidateKind.Host && IsPrivate(EndPoint.Address);

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 100 && (b[1] & 0xC0) == 64) || (b[0] == 169 && b[1] == 254) || b[0] == 127;
        }
        return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal || IPAddress.IsLoopback(address);
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {EndPoint}{(Transport == CandidateTransport.Udp ? "" : " " + Transport)}";
}
