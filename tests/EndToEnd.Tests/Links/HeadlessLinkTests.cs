// End to end on one machine with real processes: links are introduced by the server, start on the relay, go direct
// where both users' settings allow, and stay relayed where they do not.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Links;

public sealed class HeadlessLinkTests
{
    internal static async Task BefriendAsync(PeerProcess a, PeerProcess b)
    {
        await a.SendAsync($"/friend add {b.Name}");
        await b.WaitForAsync("friend_request", e => e.Is("from", a.Name));
        await b.SendAsync($"/friend accept {a.Name}");
        await a.WaitForAsync("user", e => e.Is("user", b.Name) && e.Bool("friend"));
        await b.WaitForAsync("user", e => e.Is("user", a.Name) && e.Bool("friend"));
    }

    [Fact]
    public async Task Friends_get_a_link_that_starts_relayed_and_moves_to_a_direct_path_on_both_sides()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        await BefriendAsync(alice, bob);

        await alice.SendAsync("/link bob");

        var aliceDirect = await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "direct"));
        var bobDirect = await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "direct"));
        Assert.Equal(("udp", 4), (aliceDirect.Str("transport"), aliceDirect.Int("ip_version")));
        // On loopback the reflexive candidate (the server's STUN on 127.0.0.1) is the LAN one's very address and port: the
        // same path under either name, whichever check answered first (CI once named it reflexive under load). The
        // ranker's LAN-first order for different addresses is unit-tested (PathRankerTests).
        Assert.Contains(aliceDirect.Str("via"), new[] { "lan", "reflexive" });
        Assert.True(bobDirect.GetProperty("rtt_ms").GetDouble() >= 0);

        await alice.SendAsync("/links");
        var links = await alice.WaitForAsync("links");
        var entry = Assert.Single(links.GetProperty("links").EnumerateArray());
        Assert.Equal(("bob", "direct", "friends"), (entry.Str("peer"), entry.Str("route"), links.Str("direct")));
    }

    [Fact]
    public async Task Strangers_are_linked_through_the_relay_only_until_both_allow_everyone()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");

        // Strangers learn of each other from the server's user events (batched since the server's delta flush): wait for bob's.
        await alice.WaitForAsync("user", e => e.Is("user", "bob"));
        await alice.SendAsync("/link bob");
        var up = await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up"));
        Assert.Equal(("relay", "relay"), (up.Str("route"), up.Str("via")));
        await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "relay"));
        await alice.SendAsync("/links");
        Assert.Equal("relay", Assert.Single((await alice.WaitForAsync("links")).GetProperty("links").EnumerateArray()).Str("route"));

        await alice.SendAsync("/set direct everyone");
        await alice.WaitForAsync("direct_setting", e => e.Is("direct", "everyone"));
        await bob.SendAsync("/set direct everyone");
        await bob.WaitForAsync("direct_setting", e => e.Is("direct", "everyone"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("route", "direct"));

        // Asking for a relayed link asks for a fresh introduction, which now carries candidates: the link moves over.
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "direct"));
        await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "direct"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }

    [Fact]
    public async Task A_first_PM_goes_through_the_server_and_opens_a_link_then_PMs_go_direct_both_ways()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        await BefriendAsync(alice, bob);

        await alice.SendAsync("/msg bob first, through the server");
        var first = await bob.WaitForAsync("message", e => e.Is("from", "alice"));
        Assert.Equal(("first, through the server", "server"), (first.Str("text"), first.Str("route")));
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("route", "direct"));

        await alice.SendAsync("/msg bob second, over the link");
        var second = await bob.WaitForAsync("message", e => e.Is("from", "alice") && e.Is("text", "second, over the link"));
        Assert.Equal(("direct", true), (second.Str("route"), second.Bool("e2e")));
        Assert.Equal("direct", (await alice.WaitForAsync("sent", e => e.Is("route", "direct"))).Str("route"));

        await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("route", "direct"));
        await bob.SendAsync("/msg alice and back");
        var back = await alice.WaitForAsync("message", e => e.Is("from", "bob"));
        Assert.Equal(("and back", "direct"), (back.Str("text"), back.Str("route")));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "decrypt_failed") || e.Is("event", "error"));
    }

    [Fact]
    public async Task Strangers_PMs_over_a_link_go_through_the_relay_and_say_so()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        // Strangers learn of each other from the server's user events (batched since the server's delta flush): wait for bob's.
        await alice.WaitForAsync("user", e => e.Is("user", "bob"));
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("route", "relay"));

        await alice.SendAsync("/msg bob hello stranger");
        var message = await bob.WaitForAsync("message", e => e.Is("from", "alice"));
        Assert.Equal(("hello stranger", "relay", true), (message.Str("text"), message.Str("route"), message.Bool("e2e")));
    }
}
