// Candidates: RFC 8445 priorities, pairing rules (UDP, RFC 6544 TCP types, families), and gathering from Core/Nat.
using System.Net;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;
using Xunit;

namespace P2PChat.Core.Tests.Links.Paths;

public sealed class CandidateModelTests
{
    private static Candidate C(CandidateKind kind, string endPoint, CandidateTransport transport = CandidateTransport.Udp) =>
        new(kind, IPEndPoint.Parse(endPoint), transport);

    [Fact]
    public void Priorities_follow_rfc_8445_host_over_peer_reflexive_over_reflexive_over_mapped_over_relay()
    {
        var order = new[]
        {
            C(CandidateKind.Host, "192.168.1.10:5000"), C(CandidateKind.PeerReflexive, "192.0.2.1:7000"),
            C(CandidateKind.Reflexive, "192.0.2.1:5000"), C(CandidateKind.Mapped, "192.0.2.1:6000"), C(CandidateKind.Relay, "0.0.0.0:0"),
        };
        Assert.Equal(order, order.OrderByDescending(c => c.Priority));
        Assert.Equal((126u << 24) + ((7u << 13) + 4000u << 8) + 255u, order[0].Priority);
        Assert.True(C(CandidateKind.Host, "[2001:db8::1]:5000").Priority > order[0].Priority, "IPv6 before IPv4");
        Assert.True(order[0].Priority > C(CandidateKind.Host, "192.168.1.10:5000", CandidateTransport.TcpActive).Priority, "UDP before TCP");
    }

    [Fact]
    public void Pair_priorities_are_the_same_on_both_sides_and_favour_the_better_minimum()
    {
        uint g = 2_130_706_431, d = 1_694_498_815;
        Assert.Equal(((ulong)d << 32) + 2ul * g + 1, CandidatePriority.Pair(g, d));
        Assert.Equal(((ulong)d << 32) + 2ul * g, CandidatePriority.Pair(d, g));
    }

    [Fact]
    public void Tcp_types_pair_as_rfc_6544_says_and_families_never_mix()
    {
        var udp = C(CandidateKind.Host, "192.168.1.10:5000");
        var active = C(CandidateKind.Host, "192.168.1.10:9", CandidateTransport.TcpActive);
        var passive = C(CandidateKind.Reflexive, "192.0.2.2:443", CandidateTransport.TcpPassive);
        var so = C(CandidateKind.Reflexive, "192.0.2.2:5001", CandidateTransport.TcpSimultaneousOpen);

        Assert.True(CandidatePairing.CanPair(udp, C(CandidateKind.Reflexive, "192.0.2.2:5000")));
        Assert.True(CandidatePairing.CanPair(active, passive));
        Assert.True(CandidatePairing.CanPair(passive, active));
        Assert.True(CandidatePairing.CanPair(so, so));
        Assert.False(CandidatePairing.CanPair(active, active));
        Assert.False(CandidatePairing.CanPair(passive, passive));
        Assert.False(CandidatePairing.CanPair(active, so));
        Assert.False(CandidatePairing.CanPair(udp, passive));
        Assert.False(CandidatePairing.CanPair(udp, C(CandidateKind.Host, "[2001:db8::2]:5000")));
        Assert.False(CandidatePairing.CanPair(udp, C(CandidateKind.Relay, "192.0.2.9:1")));
    }

    [Fact]
    public void Gathering_lists_hosts_reflexive_and_mapped_without_loopback_link_local_or_duplicates()
    {
        var report = new ReflexiveReport([], MappingBehaviour.EndpointIndependent, IPEndPoint.Parse("192.0.2.1:5000"), true);

        var list = CandidateGathering.From([IPAddress.Parse("192.168.1.10"), IPAddress.Loopback, IPAddress.Parse("fe80::1"), IPAddress.Parse("2001:db8::10")], 5000, report, null);

        Assert.Equal(["host [2001:db8::10]:5000", "host 192.168.1.10:5000", "reflexive 192.0.2.1:5000"], list.Select(c => c.ToString()));
        Assert.True(list[1].IsLan);
        Assert.False(list[0].IsLan);
        var noNat = CandidateGathering.From([IPAddress.Parse("198.51.100.5")], 5000, report with { Behaviour = MappingBehaviour.NoNat }, null);
        Assert.Equal(["host 198.51.100.5:5000"], noNat.Select(c => c.ToString()));
    }
}
