// A general channel larger than the configured threshold: no full list in the burst (STATUS 37), pages on request,
// friends and co-members always described, deltas only to those who should hear.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class RosterPagingTests
{
    [Fact]
    public async Task Below_the_threshold_the_burst_lists_everyone_online()
    {
        await using var server = await TestServer.StartAsync(o => o.GeneralRosterPageThreshold = 3);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.ConnectAsync();
        await carol.RegisterAsync("carol");
        var burst = await carol.SignInAsync("carol");

        var general = Assert.Single(burst.OfType<Upd>(), u => u.Tag == Tag.General);
        Assert.Equal(3, general.Members.Count);
        Assert.DoesNotContain(burst, f => f is Status { Code: StatusCode.RosterPaged });
        Assert.Equal(3, burst.OfType<AddUser>().Count());
    }

    [Fact]
    public async Task Above_the_threshold_the_burst_says_so_and_the_client_pages_through_everyone()
    {
        await using var server = await TestServer.StartAsync(o => o.GeneralRosterPageThreshold = 2);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.ConnectAsync();
        await carol.RegisterAsync("carol");
        var burst = await carol.SignInAsync("carol");

        Assert.DoesNotContain(burst, f => f is Upd u && u.Tag == Tag.General);
        var paged = Assert.Single(burst.OfType<Status>(), s => s.Code == StatusCode.RosterPaged);
        Assert.Equal((Tag.General, 3u), (paged.Subject, paged.Value));
        Assert.Equal([carol.Tag], burst.OfType<AddUser>().Select(a => a.Tag));    // only herself: no friends, no channels

        await carol.SendAsync(new RosterPageRequest(Tag.General, Tag.None, 2));
        var first = await carol.ExpectAsync<RosterPageEnd>();
        Assert.Equal((bob.Tag, 3u), (first.Next, first.Online));
        await carol.SendAsync(new RosterPageRequest(Tag.General, first.Next, 2));
        var last = await carol.ExpectAsync<RosterPageEnd>();
        Assert.Equal(Tag.None, last.Next);
        var cards = carol.Received.OfType<AddUser>().Skip(1).Select(a => a.Username).ToList();
        Assert.Equal(["alice", "bob", "carol"], cards);
    }

    [Fact]
    public async Task Co_members_and_friends_always_come_in_a_paged_burst_and_strangers_hear_no_deltas()
    {
        await using var server = await TestServer.StartAsync(o => o.GeneralRosterPageThreshold = 1);
        await using var alice = await server.SignedInAsync("alice");
        var club = await alice.CreateChannelAsync("club");
        await using var bob = await server.SignedInAsync("bob");          // paged from here on
        await bob.JoinAsync(club);
        await bob.SendAsync(new Quit());
        await bob.ReadUntilClosedAsync();

        await using var again = await server.ConnectAsync();
        var burst = await again.SignInAsync("bob");
        Assert.Contains(burst, f => f is Status { Code: StatusCode.RosterPaged });
        Assert.Contains(burst, f => f is AddUser a && a.Tag == alice.Tag && a.Presence == Presence.Online);   // co-member of #club

        // dave is nobody's friend and shares no channel: bob (who did not page) hears nothing of him, alice
        // (whose burst listed the whole general channel, so she follows it) does.
        await using var dave = await server.SignedInAsync("dave");
        await alice.ExpectAsync<AddUser>(a => a.Tag == dave.Tag);
        await dave.MessageAsync(again.Tag, "hello");
        await again.ExpectAsync<MsgDeliver>(m => m.From == dave.Tag);
        Assert.DoesNotContain(again.Received, f => f is AddUser a && a.Tag == dave.Tag);
    }
}
