// Reflexive discovery and mapping classification behind every RFC 4787 NAT of the simulator, on a manual clock.
using System.Net;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.Stun;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Nat;

public sealed class ReflexiveDiscoverySimTests
{
    private static readonly IPEndPoint[] AllThree = [LabScenario.StunA1, LabScenario.StunA2, LabScenario.StunB];

    public static TheoryData<NatScope, bool, MappingBehaviour> Behaviours => new()
    {
        { NatScope.EndpointIndependent, true, MappingBehaviour.EndpointIndependent },
        { NatScope.EndpointIndependent, false, MappingBehaviour.EndpointIndependent },
        { NatScope.AddressDependent, false, MappingBehaviour.AddressDependent },
        { NatScope.AddressAndPortDependent, false, MappingBehaviour.AddressAndPortDependent },
        { NatScope.AddressAndPortDependent, true, MappingBehaviour.AddressAndPortDependent },
    };

    [Theory]
    [MemberData(nameof(Behaviours))]
    public void Three_servers_tell_every_mapping_behaviour_apart(NatScope mapping, bool preservePorts, MappingBehaviour expected)
    {
        using var lab = new LabScenario(new NatBehaviour(mapping, NatScope.AddressAndPortDependent, false, preservePorts, TimeSpan.FromMinutes(2)));
        var report = lab.Discover(AllThree);
        Assert.Equal(expected, report.Behaviour);
        Assert.Equal(LabScenario.NatPublic, report.Reflexive!.Address);
        Assert.All(report.Results, r => Assert.True(r.Succeeded, r.Error));
        if (mapping == NatScope.EndpointIndependent) Assert.Equal(preservePorts, report.PortPreserved);
    }

    [Fact]
    public void Two_ports_of_one_server_separate_cone_from_symmetric_as_the_rendezvous_server_offers()
    {
        using var cone = new LabScenario(NatBehaviour.PortRestrictedCone);
        var coneReport = cone.Discover(LabScenario.StunA1, LabScenario.StunA2);
        Assert.Equal(MappingBehaviour.EndpointIndependent, coneReport.Behaviour);
        Assert.Equal(new IPEndPoint(LabScenario.NatPublic, LabScenario.HostLocal.Port), coneReport.Reflexive);
        Assert.True(coneReport.PortPreserved);

        using var symmetric = new LabScenario(NatBehaviour.Symmetric);
        Assert.Equal(MappingBehaviour.AddressAndPortDependent, symmetric.Discover(LabScenario.StunA1, LabScenario.StunA2).Behaviour);
    }

    [Fact]
    public void A_public_host_reports_no_NAT()
    {
        using var lab = new LabScenario(null);
        var report = lab.Discover(AllThree);
        Assert.Equal(MappingBehaviour.NoNat, report.Behaviour);
        Assert.Equal(LabScenario.PublicHost, report.Reflexive);
    }

    [Fact]
    public void An_expired_mapping_is_replaced_and_discovery_sees_the_new_port()
    {
        using var lab = new LabScenario(new NatBehaviour(NatScope.EndpointIndependent, NatScope.EndpointIndependent, false, false, TimeSpan.FromSeconds(30)));
        var first = lab.Discover(LabScenario.StunA1).Reflexive;
        lab.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(first, lab.Discover(LabScenario.StunA1).Reflexive);   // refreshed, still there
        lab.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.NotEqual(first, lab.Discover(LabScenario.StunA1).Reflexive);
    }

    [Fact]
    public void A_server_that_does_not_exist_times_out_after_the_schedule_and_the_rest_still_count()
    {
        using var lab = new LabScenario(NatBehaviour.PortRestrictedCone);
        var start = lab.Time.GetUtcNow();
        var report = lab.Discover(LabScenario.StunA1, IPEndPoint.Parse("203.0.113.99:3478"));
        Assert.Equal(MappingBehaviour.Undetermined, report.Behaviour);
        Assert.Contains("no answer after 5 tries", report.Results[1].Error);
        Assert.True(lab.Time.GetUtcNow() - start >= RetransmitSchedule.Stun.Total);
        Assert.True(lab.Network.Drops.Count(d => d.Contains("203.0.113.99")) >= 5, "every attempt was sent");
    }

    [Fact]
    public void An_answer_from_another_address_than_the_server_asked_is_refused_and_logged()
    {
        using var lab = new LabScenario(NatBehaviour.FullCone);
        lab.Servers[0].Dispose();   // the real server is gone; an impostor who sees the requests answers them from its own address
        var impostor = IPEndPoint.Parse("203.0.113.66:3478");
        int forged = 0;
        lab.Network.Tap = (data, from, to) =>
        {
            if (!to.Equals(LabScenario.StunA1) || !StunParser.TryParse(data, out var request, out _)) return;
            var answer = new byte[StunWriter.LargestAnswer];
            int n = StunWriter.WriteBindingSuccess(answer, request.TransactionId, IPEndPoint.Parse("10.6.6.6:666"), true);
            forged++;
            lab.Network.Inject(answer[..n], impostor, from);
        };
        var report = lab.Discover(LabScenario.StunA1);
        Assert.False(report.Results[0].Succeeded);
        Assert.Equal(MappingBehaviour.Unknown, report.Behaviour);
        Assert.True(forged >= 5);
        Assert.Contains(lab.Log, l => l.Contains("refused an answer from 203.0.113.66:3478 for a request sent to 203.0.113.10:3478"));
    }

    [Fact]
    public void Malformed_and_unmatched_answers_are_refused_with_a_log_line_and_discovery_goes_on()
    {
        using var lab = new LabScenario(NatBehaviour.FullCone);
        var task = ReflexiveDiscovery.DiscoverAsync(lab.Client, [LabScenario.StunA1], [lab.Socket.Local], 5000, CancellationToken.None);
        var to = new IPEndPoint(LabScenario.NatPublic, 5000);
        lab.Network.Inject(Convert.FromHexString("0101000c2112a442000102030405060708090a0b"), LabScenario.StunA1, to);       // bad length
        var stray = new byte[StunWriter.LargestAnswer];
        int n = StunWriter.WriteBindingSuccess(stray, StunTransactionId.NewRandom(), IPEndPoint.Parse("10.9.9.9:1"), true);
        lab.Network.Inject(stray[..n], LabScenario.StunA1, to);                                                              // unknown id
        var report = lab.Time.RunUntilDone(task, TimeSpan.FromSeconds(30));
        Assert.True(report.Results[0].Succeeded);
        Assert.Contains(lab.Log, l => l.Contains("refused a datagram from 203.0.113.10:3478") && l.Contains("length field"));
        Assert.Contains(lab.Log, l => l.Contains("unknown transaction id"));
    }
}
