// Files over the server's relay with real processes: a small file goes through; a large one waits for a direct path,
// the sender is told why, and it starts by itself once the link goes direct.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;
using static P2PChat.EndToEnd.Tests.Files.FilePeers;

namespace P2PChat.EndToEnd.Tests.Files;

public sealed class HeadlessFileRelayTests
{
    [Fact]
    public async Task A_transfer_over_the_relay_limit_waits_for_a_direct_path_and_says_so()
    {
        await using var peers = await StartAsync(friends: false);
        var (alice, bob) = (peers.Alice, peers.Bob);
        // Not friends: alice knows bob only from the roster, whose changes the server may hold back for up to 250 ms.
        await alice.WaitForAsync("user", e => e.Is("user", "bob") && e.Is("presence", "online"));
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("state", "up") && e.Is("route", "relay"));

        var small = peers.RandomFile("small.bin", 200_000);
        var smallId = await OfferAsync(alice, bob, small);
        await bob.SendAsync($"/accept {smallId}");
        Assert.Equal(Sha256Of(small), Sha256Of((await peers.DoneAsync(bob, smallId)).Str("path")));

        var large = peers.RandomFile("large.bin", 6L << 20);
        var largeId = await OfferAsync(alice, bob, large, skip: 1);
        await bob.SendAsync($"/accept {largeId}");
        var waiting = await alice.WaitForAsync("file_waiting", e => e.Is("id", largeId));
        Assert.Equal(("bob", 6L << 20), (waiting.Str("user"), waiting.Long("remaining")));
        Assert.Contains("relay", waiting.Str("reason"));
        Assert.DoesNotContain(bob.Events, e => e.Is("event", "file_progress") && e.Is("id", largeId) && e.Long("bytes") > 0);

        await alice.SendAsync("/set direct everyone");
        await alice.WaitForAsync("direct_setting", e => e.Is("direct", "everyone"));
        await bob.SendAsync("/set direct everyone");
        await bob.WaitForAsync("direct_setting", e => e.Is("direct", "everyone"));
        await alice.SendAsync("/link bob");
        await alice.WaitForAsync("link", e => e.Is("peer", "bob") && e.Is("route", "direct"));
        Assert.Equal(Sha256Of(large), Sha256Of((await peers.DoneAsync(bob, largeId)).Str("path")));
    }
}
