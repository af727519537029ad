// UPnP, PCP and NAT-PMP against the simulator's fake router: mapping, traffic through it, renewal, release, refusals.
using System.Net;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Nat.PortMapping;

public sealed class PortMappingSimTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private static readonly IPEndPoint Stranger = IPEndPoint.Parse("198.51.100.77:9999");

    private static LabScenario Lab(bool upnp, bool pcp, bool natPmp)
    {
        var lab = new LabScenario(NatBehaviour.PortRestrictedCone);
        lab.Router!.Upnp = upnp;
        lab.Router.Pcp = pcp;
        lab.Router.NatPmp = natPmp;
        return lab;
    }

    private static IPortMapping? Map(LabScenario lab) =>
        lab.Run(new PortMapProber(lab.Mappers(), lab.Log.Add).MapAsync(LabScenario.HostLocal.Port, Lifetime, CancellationToken.None));

    /// <summary>A stranger who never heard from us sends to the mapped port: it arrives only while the mapping exists.</summary>
    private static bool StrangerGetsThrough(LabScenario lab, IPEndPoint external)
    {
        var received = new List<byte[]>();
        var probe = new ProbeReceiver(received);
        lab.Demux.Start(probe);
        lab.Network.Inject([0x04, 1, 2, 3], Stranger, external);
        lab.Time.Advance(TimeSpan.FromMilliseconds(50));
        return received.Count == 1;
    }

    [Theory]
    [InlineData(true, true, true, PortMappingProtocol.Upnp)]
    [InlineData(false, true, true, PortMappingProtocol.Pcp)]
    [InlineData(false, false, true, PortMappingProtocol.NatPmp)]
    [InlineData(false, true, false, PortMappingProtocol.Pcp)]
    public void The_prober_takes_the_first_protocol_the_router_speaks_and_traffic_flows_through_the_mapping(bool upnp, bool pcp, bool natPmp, PortMappingProtocol expected)
    {
        using var lab = Lab(upnp, pcp, natPmp);
        Assert.False(StrangerGetsThrough(lab, new IPEndPoint(LabScenario.NatPublic, 5000)), "filtered before any mapping");
        var mapping = Map(lab);
        Assert.NotNull(mapping);
        Assert.Equal(expected, mapping.Protocol);
        Assert.Equal(new IPEndPoint(LabScenario.NatPublic, 5000), mapping.External);
        Assert.Equal(lab.Time.GetUtcNow() + Lifetime, mapping.GoodUntil);
        Assert.Equal(lab.Time.GetUtcNow() + Lifetime / 2, mapping.RenewAfter);
        Assert.True(StrangerGetsThrough(lab, mapping.External));
    }

    [Theory]
    [InlineData(PortMappingProtocol.Upnp)]
    [InlineData(PortMappingProtocol.Pcp)]
    [InlineData(PortMappingProtocol.NatPmp)]
    public async Task The_keeper_renews_before_expiry_and_releases_on_dispose(PortMappingProtocol protocol)
    {
        using var lab = Lab(protocol == PortMappingProtocol.Upnp, protocol == PortMappingProtocol.Pcp, protocol == PortMappingProtocol.NatPmp);
        var mapping = Map(lab)!;
        var keeper = new PortMappingKeeper(mapping, lab.Time, lab.Log.Add);
        var firstUntil = mapping.GoodUntil;
        lab.Time.Advance(Lifetime / 2 + TimeSpan.FromSeconds(5));   // past renew-after: the renewal exchange runs inside Advance
        Assert.Equal(1, keeper.Renewals);
        Assert.True(mapping.GoodUntil > firstUntil);
        lab.Time.Advance(Lifetime);                                  // a mapping that was only granted once would be gone by now
        Assert.Equal(3, keeper.Renewals);
        Assert.True(StrangerGetsThrough(lab, mapping.External));

        var release = keeper.DisposeAsync().AsTask();
        lab.Run(release.ContinueWith(_ => true, TaskContinuationOptions.ExecuteSynchronously));
        Assert.Empty(lab.Nat!.ExplicitMappings);
        Assert.False(StrangerGetsThrough(lab, mapping.External));
        Assert.Contains(lab.Log, l => l.Contains("released"));
        await release;
    }

    [Fact]
    public void A_router_without_any_protocol_gives_no_mapping_after_the_documented_time_and_says_why()
    {
        using var lab = Lab(false, false, false);
        var start = lab.Time.GetUtcNow();
        Assert.Null(Map(lab));
        var took = lab.Time.GetUtcNow() - start;
        Assert.True(took >= UpnpMapper.SsdpSchedule.Total + 2 * RetransmitSchedule.Router.Total - TimeSpan.FromMilliseconds(50));
        Assert.True(took <= UpnpMapper.SsdpSchedule.Total + 2 * RetransmitSchedule.Router.Total + TimeSpan.FromSeconds(1));
        Assert.Contains(lab.Log, l => l.StartsWith("upnp: no mapping") && l.Contains("no IGD answered"));
        Assert.Contains(lab.Log, l => l.StartsWith("pcp: no mapping") && l.Contains("no answer"));
        Assert.Contains(lab.Log, l => l.StartsWith("nat-pmp: no mapping") && l.Contains("no answer"));
    }

    [Fact]
    public void PCP_to_a_NAT_PMP_only_router_fails_at_once_on_its_version_answer()
    {
        using var lab = Lab(false, false, true);
        var start = lab.Time.GetUtcNow();
        var mapping = lab.Run(new PcpMapper(LabScenario.Gateway, LabScenario.HostLocal.Address, lab.NewHostSocket, lab.Time, log: lab.Log.Add)
            .TryMapAsync(5000, Lifetime, CancellationToken.None));
        Assert.Null(mapping);
        Assert.True(lab.Time.GetUtcNow() - start < TimeSpan.FromSeconds(1));
        Assert.Contains(lab.Log, l => l.Contains("UNSUPP_VERSION"));
    }

    [Fact]
    public void UPnP_falls_back_to_a_permanent_lease_when_the_router_only_does_those_and_refreshes_it_hourly()
    {
        using var lab = Lab(true, false, false);
        lab.Router!.OnlyPermanentLeases = true;
        var mapping = Map(lab)!;
        Assert.Equal(DateTimeOffset.MaxValue, mapping.GoodUntil);
        Assert.Equal(lab.Time.GetUtcNow() + TimeSpan.FromHours(1), mapping.RenewAfter);
    }

    [Fact]
    public void UPnP_takes_another_external_port_when_ours_is_mapped_to_someone_else()
    {
        using var lab = Lab(true, false, false);
        lab.Nat!.MapExplicit(5000, IPEndPoint.Parse("192.168.1.99:5000"), TimeSpan.FromHours(5));
        var mapping = Map(lab)!;
        Assert.NotEqual(5000, mapping.External.Port);
        Assert.Contains(lab.Router!.Requests, r => r == "upnp AddPortMapping");
    }

    [Fact]
    public void A_renewal_the_router_stops_answering_is_retried_then_given_up_at_good_until()
    {
        using var lab = Lab(false, false, true);
        var mapping = Map(lab)!;
        var keeper = new PortMappingKeeper(mapping, lab.Time, lab.Log.Add);
        lab.Router!.NatPmp = false;
        lab.Time.Advance(Lifetime + TimeSpan.FromMinutes(1));
        Assert.Null(keeper.Current);
        Assert.Contains(lab.Log, l => l.Contains("retrying in 30 s"));
        Assert.Contains(lab.Log, l => l.Contains("lost"));
    }

    public static TheoryData<string> Tamperings => ["truncate", "wrong-nonce-or-port", "oversize", "other-address"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Tampered_NAT_PMP_and_PCP_answers_are_refused_with_a_log_line(string how)
    {
        foreach (var pcp in new[] { true, false })
        {
            using var lab = Lab(false, pcp, !pcp);
            switch (how)
            {
                case "truncate": lab.Router!.Tamper = a => a.Length > 8 ? a[..^4] : a; break;
                case "wrong-nonce-or-port": lab.Router!.Tamper = a => { var c = (byte[])a.Clone(); if (c.Length >= 16) c[pcp ? 30 : 9] ^= 0xFF; return c; }; break;
                case "oversize": lab.Router!.Tamper = a => [.. a, .. new byte[pcp ? 1100 : 4]]; break;
                case "other-address": lab.Router!.AnswerFrom = IPAddress.Parse("192.168.1.66"); break;
            }
            IPortMapper mapper = pcp
                ? new PcpMapper(LabScenario.Gateway, LabScenario.HostLocal.Address, lab.NewHostSocket, lab.Time, log: lab.Log.Add)
                : new NatPmpMapper(LabScenario.Gateway, lab.NewHostSocket, lab.Time, log: lab.Log.Add);
            Assert.Null(lab.Run(mapper.TryMapAsync(5000, Lifetime, CancellationToken.None)));
            var protocol = pcp ? "pcp" : "nat-pmp";
            Assert.Contains(lab.Log, l => l.StartsWith($"{protocol}: refused an answer from"));
            Assert.Contains(lab.Log, l => l.StartsWith($"{protocol}: no mapping"));
        }
    }

    [Fact]
    public void An_SSDP_answer_pointing_at_another_host_is_refused()
    {
        using var lab = Lab(true, false, false);
        lab.Router!.SsdpLocation = "http://192.168.1.66:80/evil.xml";
        Assert.Null(Map(lab));
        Assert.Contains(lab.Log, l => l.Contains("refused an SSDP answer") && l.Contains("is not the answering address"));
        Assert.DoesNotContain(lab.Router.Requests, r => r.StartsWith("upnp GET"));
    }

    private sealed class ProbeReceiver(List<byte[]> received) : Core.Transport.Sockets.IDatagramReceiver
    {
        public void OnDatagram(Span<byte> datagram, EndPoint remote) => received.Add(datagram.ToArray());
        public void OnBatchEnd() { }
    }
}
