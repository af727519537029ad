// The seams between the link engine and the peer's links: wire candidates to engine candidates, and a direct path's
// traffic reaching its path monitor (on a manual clock).
using System.Net;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Peer.Links;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class EngineWiringTests
{
    private sealed class NullSocket(EndPoint local) : IDatagramSocket
    {
        public int Sent;
        public EndPoint LocalEndPoint => local;
        public void Start(IDatagramReceiver receiver) { }
        public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => Sent++;
        public void Dispose() { }
    }

    private sealed class Probe : IPathProbe
    {
        public int Sent;
        public void SendProbe() => Sent++;
    }

    [Fact]
    public void Wire_candidates_become_engine_candidates_on_the_base_socket_of_their_family()
    {
        LinkCandidate[] published =
        [
            new(LinkCandidateKind.Mapped, IPEndPoint.Parse("11.1.1.2:40000")),
            new(LinkCandidateKind.Reflexive, IPEndPoint.Parse("11.1.1.2:5000")),
            new(LinkCandidateKind.Ipv6, IPEndPoint.Parse("[2a0f:11:10::10]:6000")),
            new(LinkCandidateKind.Lan, IPEndPoint.Parse("192.168.1.10:5000")),
            new(LinkCandidateKind.Lan, IPEndPoint.Parse("[fd00::10]:6000")),
        ];
        var v4 = new CheckDemultiplexer(new NullSocket(IPEndPoint.Parse("0.0.0.0:5000")));
        var v6 = new CheckDemultiplexer(new NullSocket(IPEndPoint.Parse("[::]:6000")));

        var local = EngineCandidates.Local(published, (byte)MappingBehaviour.EndpointIndependent, v4, v6);

        Assert.Equal(MappingBehaviour.EndpointIndependent, local.Mapping);
        Assert.Equal(2, local.Bases.Count);
        Assert.Same(v4, local.Bases[0].Socket);
        Assert.Equal([CandidateKind.Mapped, CandidateKind.Reflexive, CandidateKind.Host], local.Bases[0].Candidates.Select(c => c.Kind));
        Assert.Same(v6, local.Bases[1].Socket);
        Assert.All(local.Bases[1].Candidates, c => Assert.True(c.IsIpv6 && c.Kind == CandidateKind.Host));

        var withoutV6 = EngineCandidates.Local(published, (byte)MappingBehaviour.EndpointIndependent, v4, null);
        Assert.Single(withoutV6.Bases);
    }

    [Fact]
    public void The_introduction_gives_the_peer_s_candidates_and_NAT_behaviour_which_decides_birthday_probing()
    {
        var intro = new Intro(new Tag(7), 0, new byte[32], new byte[16], IntroFlags.None, 0, (byte)MappingBehaviour.AddressAndPortDependent,
            [new(LinkCandidateKind.Reflexive, IPEndPoint.Parse("11.1.2.2:31000")), new(LinkCandidateKind.Lan, IPEndPoint.Parse("192.168.2.10:5000"))]);
        var remote = EngineCandidates.Remote(intro);
        Assert.True(remote.IsHard);
        Assert.Equal([CandidateKind.Reflexive, CandidateKind.Host], remote.Candidates.Where(c => c.Transport == CandidateTransport.Udp).Select(c => c.Kind));

        var easy = new CandidateSet([new Candidate(CandidateKind.Reflexive, IPEndPoint.Parse("11.1.1.2:5000"))], MappingBehaviour.EndpointIndependent);
        Assert.Equal(BirthdayProbing.Side.Easy, BirthdayProbing.Choose(easy, remote));
        Assert.Equal(MappingBehaviour.Unknown, EngineCandidates.Mapping(200));
    }

    [Fact]
    public void Traffic_on_the_direct_path_feeds_its_monitor_so_a_path_that_swallows_packets_dies_and_one_that_answers_lives()
    {
        var time = new ManualTimeProvider();
        var path = new LinkPathSocket(new IPEndPoint(IPAddress.Any, 1), _ => { }, time);
        var socket = new NullSocket(IPEndPoint.Parse("0.0.0.0:5000"));
        var probe = new Probe();
        using var monitor = new PathMonitor(probe, time);
        path.UseDirect(socket, IPEndPoint.Parse("11.1.2.2:5000"), monitor);

        path.Send(new byte[100], path.Virtual);
        time.Advance(TimeSpan.FromMilliseconds(1100));
        Assert.Equal(PathHealth.Suspect, monitor.Health);   // the send was reported: nothing came back for 1 s

        path.OnDirect(new byte[100]);
        Assert.Equal(PathHealth.Alive, monitor.Health);      // the answer was reported

        for (int i = 0; i < 40; i++)
        {
            path.Send(new byte[100], path.Virtual);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        Assert.Equal(PathHealth.Dead, monitor.Health);       // 4 s of sends and no answer
        Assert.Equal(41, socket.Sent);

        path.UseRelay();
        Assert.Null(path.DirectRemote);
    }
}
