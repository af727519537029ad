// Lab scenario 7: two IPv6 hosts behind stateful firewalls (no IPv6 NAT) link directly over IPv6.
using P2PChat.EndToEnd.Tests.Links;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.NetLab.Real;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// The <c>v6sym</c> lab (scripts/netlab.sh): both routers are symmetric NATs for IPv4, so no direct IPv4 path exists,
/// and each routes a global IPv6 prefix through an ip6tables firewall that lets in only conntrack ESTABLISHED,RELATED
/// flows (INPUT and FORWARD policy DROP). A direct link must therefore be IPv6, opened by both sides' checks crossing
/// the two firewalls (each side's outgoing check makes the flow its firewall lets the other side's check in on).
/// </summary>
public sealed class LinkLabIpv6Tests
{
    private const string Stun6 = $"[{NetLabInstance.ServerAddress6}]:3478";

    [Fact]
    public async Task Scenario_7_IPv6_hosts_behind_stateful_firewalls_link_directly_over_IPv6()
    {
        await using var run = await LinkLabTests.StartAsync("v6sym", $"{LinkLabTests.Stun},{LinkLabTests.Stun2},{Stun6}");
        var alice = await LinkLabTests.Run.SignedUpAsync(run.Peer("alice", "h1", "--stun", Stun6));
        var bob = await LinkLabTests.Run.SignedUpAsync(run.Peer("bob", "h2", "--stun", Stun6));
        await HeadlessLinkTests.BefriendAsync(alice, bob);

        await alice.SendAsync("/link bob");
        var up = await LinkLabTests.RouteAsync(alice, "bob", "direct");
        var upBob = await LinkLabTests.RouteAsync(bob, "alice", "direct");
        Assert.Equal((6, "udp"), (up.Int("ip_version"), up.Str("transport")));
        Assert.Equal(6, upBob.Int("ip_version"));

        // PMs go over it both ways (the first through the server fetches the prekey bundle only if no session exists:
        // the link carries them either way, so both arrive with route direct).
        await alice.SendAsync("/msg bob over six");
        Assert.Equal("direct", (await bob.WaitForAsync("message", e => e.Is("text", "over six"))).Str("route"));
        await bob.SendAsync("/msg alice and back");
        Assert.Equal("direct", (await alice.WaitForAsync("message", e => e.Is("text", "and back"))).Str("route"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }
}
