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

    [Fact]
    public async Task A_link_introduced_before_the_peer_published_its_candidates_goes_direct_once_they_are_published()
    {
        await using var run = await LinkLabTests.StartAsync("v6sym", $"{LinkLabTests.Stun},{LinkLabTests.Stun2},{Stun6}");
        var alice = await LinkLabTests.Run.SignedUpAsync(run.Peer("alice", "h1", "--stun", Stun6));
        // bob's only STUN server never answers (nothing listens on that port), so his discovery, and the publication of
        // his candidates with it, ends only at its bound (7.75 s) after his sign-in: alice's link is introduced first,
        // without them, and her firewall drops bob's checks until she checks him too (as lab scenario 7 did once in 20
        // at load 40, when alice's first /msg came right after bob signed in).
        var bob = await LinkLabTests.Run.SignedUpAsync(run.PeerWithStun("bob", "h2", [$"{NetLabInstance.ServerAddress}:9", Stun6]));
        await HeadlessLinkTests.BefriendAsync(alice, bob);
        await alice.SendAsync("/link bob");
        var first = await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up"));
        Assert.Equal("relay", first.Str("route"));
        Assert.Contains("addresses were not in the introduction", first.Str("reason"));

        // Once his candidates are on the server, bob asks for a fresh introduction himself rather than leaving it to
        // alice's upgrade schedule (5 s, then 10 s more), and both sides' checks open the IPv6 path.
        await bob.WaitForStderrAsync("links: candidates published; asking again for 1 link(s) without a direct path");
        var up = await LinkLabTests.RouteAsync(alice, "bob", "direct");
        await LinkLabTests.RouteAsync(bob, "alice", "direct");
        Assert.Equal(6, up.Int("ip_version"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }
}
