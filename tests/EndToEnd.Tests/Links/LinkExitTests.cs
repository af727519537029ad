// A peer with live links (and their long-lived PM streams) exits on /quit by itself, without waiting on its links.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Links;

/// <summary>
/// A clean exit closes every link, and closing a link completes every stream open on it: the PM streams in both
/// directions (one each way after PMs both ways) must not hold the exit. QuitAsync kills a peer that has not exited
/// within 15 s, which shows as exit code 137.
/// </summary>
public sealed class LinkExitTests
{
    [Fact]
    public async Task A_peer_with_a_direct_link_that_carried_PMs_both_ways_exits_on_quit_and_the_other_sees_the_link_go_down()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        await HeadlessLinkTests.BefriendAsync(alice, bob);
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "direct"));
        await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "direct"));

        await ExchangeAsync(alice, bob, "direct");

        Assert.Equal(0, await bob.QuitAsync());
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "down"));
        Assert.Equal(0, await alice.QuitAsync());
    }

    [Fact]
    public async Task A_peer_with_a_relayed_link_that_carried_PMs_both_ways_exits_on_quit()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.WithKeysAsync("alice");
        var bob = await cluster.WithKeysAsync("bob");
        // strangers: the link stays on the relay
        await alice.WaitForAsync("user", e => e.Is("user", "bob"));
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "relay"));
        await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "relay"));

        await ExchangeAsync(alice, bob, "relay");

        Assert.Equal(0, await alice.QuitAsync());
        Assert.Equal(0, await bob.QuitAsync());
    }

    /// <summary>Two PMs each way over the link, so each side has a sending and a receiving PM stream open.</summary>
    private static async Task ExchangeAsync(PeerProcess alice, PeerProcess bob, string route)
    {
        foreach (var (from, to) in new[] { (alice, bob), (bob, alice) })
            for (var i = 1; i <= 2; i++)
            {
                var text = $"{from.Name} to {to.Name} {i}";
                await from.SendAsync($"/msg {to.Name} {text}");
                var got = await to.WaitForAsync("message", e => e.Is("text", text));
                Assert.Equal(route, got.Str("route"));
            }
    }
}
