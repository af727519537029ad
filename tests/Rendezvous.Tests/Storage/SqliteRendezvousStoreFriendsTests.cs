// Tests of friend storage: request, accept (explicit and crossed), refuse, withdraw, remove, listings, restart.
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreFriendsTests : StoreWithUsersTestBase
{
    [Fact]
    public async Task Request_is_pending_on_both_sides_until_accepted()
    {
        Assert.Equal(FriendRequestOutcome.Requested, await Store.RequestFriendshipAsync(Alice, Bob, Ct));
        Assert.Equal(FriendRequestOutcome.AlreadyRequested, await Store.RequestFriendshipAsync(Alice, Bob, Ct));

        var expected = new FriendRequest(Alice, Bob, Start);
        Assert.Equal([expected], await Store.ListIncomingFriendRequestsAsync(Bob, Ct));
        Assert.Equal([expected], await Store.ListOutgoingFriendRequestsAsync(Alice, Ct));
        Assert.Empty(await Store.ListFriendsAsync(Alice, Ct));

        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Store.AcceptFriendRequestAsync(Bob, Alice, Ct));

        Assert.Equal([new Friend(Bob, Start.AddMinutes(1))], await Store.ListFriendsAsync(Alice, Ct));
        Assert.Equal([new Friend(Alice, Start.AddMinutes(1))], await Store.ListFriendsAsync(Bob, Ct));
        Assert.Empty(await Store.ListIncomingFriendRequestsAsync(Bob, Ct));
        Assert.Equal(FriendRequestOutcome.AlreadyFriends, await Store.RequestFriendshipAsync(Bob, Alice, Ct));
    }

    [Fact]
    public async Task Crossed_request_accepts()
    {
        await Store.RequestFriendshipAsync(Alice, Bob, Ct);

        Assert.Equal(FriendRequestOutcome.Accepted, await Store.RequestFriendshipAsync(Bob, Alice, Ct));

        Assert.Equal([Bob], (await Store.ListFriendsAsync(Alice, Ct)).Select(f => f.Tag));
        Assert.Empty(await Store.ListOutgoingFriendRequestsAsync(Alice, Ct));
        Assert.Empty(await Store.ListOutgoingFriendRequestsAsync(Bob, Ct));
    }

    [Fact]
    public async Task Refusing_or_withdrawing_removes_the_request()
    {
        await Store.RequestFriendshipAsync(Alice, Bob, Ct);
        await Store.RequestFriendshipAsync(Alice, Carol, Ct);

        Assert.True(await Store.RemoveFriendRequestAsync(Alice, Bob, Ct));   // bob refuses
        Assert.True(await Store.RemoveFriendRequestAsync(Alice, Carol, Ct)); // alice withdraws
        Assert.False(await Store.RemoveFriendRequestAsync(Alice, Bob, Ct));

        Assert.Empty(await Store.ListOutgoingFriendRequestsAsync(Alice, Ct));
        Assert.False(await Store.AcceptFriendRequestAsync(Bob, Alice, Ct));
        Assert.Empty(await Store.ListFriendsAsync(Bob, Ct));
    }

    [Fact]
    public async Task Removing_a_friend_removes_both_sides()
    {
        await Store.RequestFriendshipAsync(Alice, Bob, Ct);
        await Store.AcceptFriendRequestAsync(Bob, Alice, Ct);

        Assert.True(await Store.RemoveFriendAsync(Bob, Alice, Ct));
        Assert.False(await Store.RemoveFriendAsync(Bob, Alice, Ct));

        Assert.Empty(await Store.ListFriendsAsync(Alice, Ct));
        Assert.Empty(await Store.ListFriendsAsync(Bob, Ct));
        Assert.Equal(FriendRequestOutcome.Requested, await Store.RequestFriendshipAsync(Alice, Bob, Ct));
    }

    [Fact]
    public async Task Unknown_users_and_self_requests_are_refused()
    {
        Assert.Equal(FriendRequestOutcome.UnknownUser, await Store.RequestFriendshipAsync(Alice, 0x8000_0777, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.RequestFriendshipAsync(Alice, Alice, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.RequestFriendshipAsync(Alice, 5, Ct));
    }

    [Fact]
    public async Task Incoming_requests_are_listed_oldest_first()
    {
        await Store.RequestFriendshipAsync(Carol, Alice, Ct);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.RequestFriendshipAsync(Bob, Alice, Ct);

        Assert.Equal([Carol, Bob], (await Store.ListIncomingFriendRequestsAsync(Alice, Ct)).Select(r => r.From));
    }

    [Fact]
    public async Task Friends_and_requests_survive_a_restart()
    {
        await Store.RequestFriendshipAsync(Alice, Bob, Ct);
        await Store.AcceptFriendRequestAsync(Bob, Alice, Ct);
        await Store.RequestFriendshipAsync(Carol, Alice, Ct);

        await ReopenAsync();

        Assert.Equal([Bob], (await Store.ListFriendsAsync(Alice, Ct)).Select(f => f.Tag));
        Assert.Equal([Carol], (await Store.ListIncomingFriendRequestsAsync(Alice, Ct)).Select(r => r.From));
    }
}
