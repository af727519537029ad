// End to end with real processes: a signed-in peer comes back by itself after the server is killed and restarted.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessReconnectTests
{
    [Fact]
    public async Task After_a_server_restart_the_peer_reconnects_signs_in_again_and_receives_a_pm_in_the_same_e2e_session()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");
        await bob.SendAsync("/msg alice before");
        Assert.True((await alice.WaitForAsync("message", e => e.Is("text", "before"))).Bool("e2e"));
        await bob.QuitAsync();

        await cluster.RestartServerAsync(killFirst: true);
        await alice.WaitForAsync("disconnected");
        var attempt = await alice.WaitForAsync("reconnecting");
        Assert.Equal(1, attempt.Int("attempt"));
        await alice.WaitForAsync("signed_in", e => e.Is("user", "alice"), skip: 1);

        var bobAgain = await Cluster.SignedInAsync(cluster.Peer("bob"), "bob");
        await bobAgain.SendAsync("/msg alice after");
        var after = await alice.WaitForAsync("message", e => e.Is("text", "after"));
        Assert.True(after.Bool("e2e"));
        Assert.Equal("trusted", after.Str("key_status")); // the same identity: no key change, no new one

        var order = alice.Events.Select(e => e.Str("event")).ToList();
        var reconnecting = order.IndexOf("reconnecting");
        Assert.True(reconnecting < order.LastIndexOf("signed_in"), string.Join(", ", order));
        Assert.True(order.LastIndexOf("signed_in") < order.LastIndexOf("message"), string.Join(", ", order));
        Assert.DoesNotContain("key_changed", order);
        Assert.DoesNotContain("decrypt_failed", order);
    }
}
