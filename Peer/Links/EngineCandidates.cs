// Translates the introduction's wire candidates (LINK/CANDIDATES/INTRO) into the link engine's candidates, both sides.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Links.Tcp;
using P2PChat.Core.Nat;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Links;

/// <summary>
/// Wire kinds to engine kinds: lan and ipv6 are host candidates (an interface address with the socket's port),
/// reflexive is what STUN saw, mapped is a router mapping (UPnP IGD, PCP, NAT-PMP). IPv4 candidates belong to the
/// shared IPv4 socket, IPv6 ones to the shared IPv6 socket (left out when there is none). The NAT byte is the
/// RFC 4787 mapping behaviour, which decides birthday probing.
/// </summary>
public static class EngineCandidates
{
    public static Candidate From(LinkCandidate c)
    {
        var endPoint = c.EndPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(c.EndPoint.Address.MapToIPv4(), c.EndPoint.Port) : c.EndPoint;
        var kind = c.Kind switch
        {
            LinkCandidateKind.Reflexive => CandidateKind.Reflexive,
            LinkCandidateKind.Mapped => CandidateKind.Mapped,
            _ => CandidateKind.Host,
        };
        return new Candidate(kind, endPoint);
    }

    public static MappingBehaviour Mapping(byte nat) => nat <= NatByte.Max ? (MappingBehaviour)nat : MappingBehaviour.Unknown;

    /// <summary>What the peer told us in the introduction, with the TCP candidates its candidates imply (<see cref="TcpCandidates"/>).</summary>
    public static CandidateSet Remote(Intro intro) => new(TcpCandidates.WithImplied(intro.Candidates.Select(From).DistinctBy(c => c.EndPoint)), Mapping(intro.Nat));

    /// <summary>Our bases: the IPv4 socket with our IPv4 candidates, the IPv6 socket (if any) with our IPv6 ones.</summary>
    /// <param name="tcp4">the TCP base on the IPv4 link port (<see cref="TcpLinkSocket"/>), or null (no TCP checks).</param>
    public static LocalCandidates Local(IReadOnlyList<LinkCandidate> published, byte nat, CheckDemultiplexer v4, CheckDemultiplexer? v6, CheckDemultiplexer? tcp4 = null)
    {
        var all = published.Select(From).DistinctBy(c => c.EndPoint).ToList();
        List<CandidateBase> bases = [new CandidateBase(v4, [.. all.Where(c => !c.IsIpv6)])];
        if (v6 is not null && all.Where(c => c.IsIpv6).ToList() is { Count: > 0 } six) bases.Add(new CandidateBase(v6, six));
        if (tcp4 is not null && TcpCandidates.WithImplied(all.Where(c => !c.IsIpv6)).Where(c => c.Transport != CandidateTransport.Udp).ToList() is { Count: > 0 } tcp
            && tcp.Any(c => c.Kind == CandidateKind.Host))
            bases.Add(new CandidateBase(tcp4, tcp));
        return new LocalCandidates(bases, Mapping(nat));
    }

    /// <summary>Fresh sockets for birthday probing (the hard side opens up to 256 for a few seconds).</summary>
    public static Core.Transport.Sockets.IDatagramSocket NewSocket(AddressFamily family) =>
        Core.Transport.Sockets.UdpDatagramSocket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
}
