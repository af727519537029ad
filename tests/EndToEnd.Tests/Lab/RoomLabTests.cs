// A room in the real namespace lab: members behind different NATs, one of them reaching the host only through the relay.
using P2PChat.EndToEnd.Tests.Links;
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;
using static P2PChat.EndToEnd.Tests.Rooms.RoomProcesses;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// The "udpblock" lab (scripts/netlab.sh): router 1 lets no UDP out of its LAN, so alice (h1) reaches anyone only
/// through the server's relay over TLS; bob and carol sit behind router 2's cone NAT (h2). bob hosts. Root and the
/// lab's programs are needed: without them the test skips saying why, and under CI=true it fails.
/// </summary>
public sealed class RoomLabTests
{
    [Fact]
    public async Task A_member_behind_a_NAT_that_blocks_UDP_joins_through_the_relay_and_the_room_says_whose_address_the_host_sees()
    {
        await using var run = await LinkLabTests.StartAsync("udpblock");
        var (alice, bob) = await run.FriendsAsync("h1", "h2");
        var carol = run.Peer("carol", "h2");
        await carol.SendAsync($"/register carol \"{Cluster.Password}\"");
        await carol.WaitForAsync("registered", e => e.Is("user", "carol"));
        await Cluster.SignedInAsync(carol, "carol");
        await carol.WaitForAsync("status", e => e.Is("command", "prekeys"));
        await HeadlessLinkTests.BefriendAsync(bob, carol);

        await bob.SendAsync("/room create lab");
        await bob.WaitForAsync("room_joined", e => e.Is("name", "lab"));
        foreach (var member in new[] { alice, carol })
        {
            await bob.SendAsync($"/room invite {member.Name}");
            var invite = await member.WaitForAsync("room_invite", e => e.Is("name", "lab"));
            await member.SendAsync($"/room join {invite.Str("room")}");
        }
        foreach (var p in new[] { alice, bob, carol }) await AllOnlineAsync(p, "lab", 3);

        foreach (var p in new[] { alice, bob, carol }) await p.SendAsync($"/msg &lab hello from {p.Name}");
        foreach (var reader in new[] { alice, bob, carol })
            foreach (var writer in new[] { alice, bob, carol })
                await SaidAsync(reader, "lab", writer.Name, $"hello from {writer.Name}");

        // alice's only way to bob is the relay: the host cannot see her address. carol reaches bob directly once
        // their link has gone direct, so the host can see hers (the room reports what the link's route is now).
        await LinkLabTests.RouteAsync(bob, "carol", "direct");
        await bob.SendAsync("/room members");
        var state = await bob.WaitForAsync("room_state", e => Members(e).Count == 3 && Members(e).All(m => m.Bool("online"))
            && Members(e).Any(m => m.Is("user", "carol") && m.TryGetProperty("address_visible_to_host", out var v) && v.GetBoolean()));
        var aliceSeen = Members(state).Single(m => m.Is("user", "alice"));
        Assert.False(aliceSeen.Bool("address_visible_to_host"));
        Assert.DoesNotContain(alice.Events, e => e.Is("event", "link") && e.Is("route", "direct"));
    }
}
