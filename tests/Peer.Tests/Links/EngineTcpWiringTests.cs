// The peer's TCP seam with the link engine: the TCP candidates both sides derive, and the TCP base among our bases.
using System.Net;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class EngineTcpWiringTests
{
    private sealed class NullSocket(EndPoint local) : IDatagramSocket
    {
        public EndPoint LocalEndPoint => local;
        public void Start(IDatagramReceiver receiver) { }
        public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) { }
        public void Dispose() { }
    }

    private static readonly LinkCandidate[] Published =
    [
        new(LinkCandidateKind.Mapped, IPEndPoint.Parse("11.1.1.2:40000")),
        new(LinkCandidateKind.Reflexive, IPEndPoint.Parse("11.1.1.2:5000")),
        new(LinkCandidateKind.Ipv6, IPEndPoint.Parse("[2a0f:11:10::10]:6000")),
        new(LinkCandidateKind.Lan, IPEndPoint.Parse("192.168.1.10:5000")),
    ];

    [Fact]
    public void The_peer_s_host_and_reflexive_candidates_imply_TCP_ones_after_every_UDP_one_and_mapped_ones_do_not()
    {
        var intro = new Intro(new Tag(7), 0, new byte[32], new byte[16], IntroFlags.None, 0, (byte)MappingBehaviour.EndpointIndependent, Published);
        var remote = EngineCandidates.Remote(intro).Candidates;

        Assert.Equal(4, remote.TakeWhile(c => c.Transport == CandidateTransport.Udp).Count());
        var tcp = remote.Skip(4).ToList();
        Assert.All(tcp, c => Assert.Equal(CandidateTransport.TcpSimultaneousOpen, c.Transport));
        Assert.Equal(["11.1.1.2:5000", "[2a0f:11:10::10]:6000", "192.168.1.10:5000"], tcp.Select(c => c.EndPoint.ToString()));
        Assert.All(tcp, c => Assert.True(c.Priority < remote.Where(u => u.Transport == CandidateTransport.Udp && u.Kind == c.Kind && u.IsIpv6 == c.IsIpv6).Min(u => u.Priority)));
    }

    [Fact]
    public void The_TCP_base_carries_our_IPv4_TCP_candidates_with_a_host_one_and_pairs_only_with_TCP()
    {
        var v4 = new CheckDemultiplexer(new NullSocket(IPEndPoint.Parse("0.0.0.0:5000")));
        var tcp4 = new CheckDemultiplexer(new NullSocket(IPEndPoint.Parse("0.0.0.0:5000")));

        var local = EngineCandidates.Local(Published, (byte)MappingBehaviour.EndpointIndependent, v4, null, tcp4);

        Assert.Equal(2, local.Bases.Count);
        Assert.All(local.Bases[0].Candidates, c => Assert.Equal(CandidateTransport.Udp, c.Transport));
        var tcpBase = local.Bases[1];
        Assert.Same(tcp4, tcpBase.Socket);
        Assert.Equal([CandidateKind.Reflexive, CandidateKind.Host], tcpBase.Candidates.Select(c => c.Kind));
        var host = tcpBase.Candidates.Single(c => c.Kind == CandidateKind.Host);
        Assert.True(CandidatePairing.CanPair(host, host with { EndPoint = IPEndPoint.Parse("11.1.2.2:7000") }));
        Assert.False(CandidatePairing.CanPair(host, new Candidate(CandidateKind.Reflexive, IPEndPoint.Parse("11.1.2.2:7000"))));
        // Without a TCP listener (the port was taken) there is no TCP base.
        Assert.Single(EngineCandidates.Local(Published, (byte)MappingBehaviour.EndpointIndependent, v4, null).Bases);
    }
}
