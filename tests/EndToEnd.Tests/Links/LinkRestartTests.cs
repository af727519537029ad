// A peer killed and started again on its profile gets a new link to a contact that still holds the old one.
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Links;

public sealed class LinkRestartTests
{
    [Fact]
    public async Task A_contact_killed_and_restarted_gets_a_new_link_while_the_old_one_is_still_held_on_this_side()
    {
        await using var cluster = await Cluster.StartAsync();
        using var folder = new TempDirectory("p2pchat-restart");
        // bob's two processes are this test's own (the cluster disposes only the peers it started).
        PeerProcess Bob() => new("bob", cluster.Server.Address, folder.Combine("bob"), ["--no-port-mapping", "--loopback-links-only"]);
        var alice = await cluster.WithKeysAsync("alice");
        await using (var bob = Bob())
        {
            await bob.SendAsync($"/register bob \"{Cluster.Password}\"");
            await bob.WaitForAsync("registered", e => e.Is("user", "bob"));
            await Cluster.SignedInAsync(bob, "bob");
            await bob.WaitForAsync("status", e => e.Is("command", "prekeys"));
            await HeadlessLinkTests.BefriendAsync(alice, bob);
            await alice.SendAsync("/link bob");
            await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "direct"));
            await bob.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up") && e.Is("route", "direct"));
        }   // SIGKILL: no goodbye reaches alice, whose link stays up until she finds out

        await using var again = Bob();
        await Cluster.SignedInAsync(again, "bob");
        await again.SendAsync("/link alice");

        // Alice's old link does not answer the PING the new introduction makes it send, so she drops it and the new
        // one comes up (rather than after the old transport connection's idle timeout, 60 s).
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "down"));
        var upsBefore = alice.Events.Count(e => e.Is("event", "link") && e.Is("peer", "bob") && e.Is("state", "up"));
        await again.WaitForAsync("link", e => e.Is("peer", "alice") && e.Is("state", "up"));
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up"), skip: upsBefore);
        await again.SendAsync("/msg alice back again");
        var m = await alice.WaitForAsync("message", e => e.Is("text", "back again"));
        Assert.Contains(m.Str("route"), new[] { "direct", "relay" });
    }
}
