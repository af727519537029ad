// Friends (request, accept, refuse, remove, pending at sign-in), ignore and buzz.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class SocialCommandsTests
{
    [Fact]
    public async Task Friend_request_accept_and_remove()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new Friend(FriendAction.Request, bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok);
        Assert.Equal(alice.Tag, (await bob.ExpectStatusAsync(StatusCode.FriendRequest)).Subject);

        await bob.SendAsync(new Friend(FriendAction.Accept, alice.Tag));
        Assert.Equal(bob.Tag, (await alice.ExpectStatusAsync(StatusCode.FriendAccepted)).Subject);
        await alice.ExpectAsync<AddUser>(u => u.Tag == bob.Tag && u.Flags.HasFlag(UserFlags.Friend));
        await bob.ExpectAsync<AddUser>(u => u.Tag == alice.Tag && u.Flags.HasFlag(UserFlags.Friend));
        await bob.SendAsync(new UpdRequest(bob.Tag));
        Assert.Equal([alice.Tag], (await bob.ExpectAsync<Upd>(u => u.Tag == bob.Tag)).Members);

        await alice.SendAsync(new Friend(FriendAction.Remove, bob.Tag));
        Assert.Equal(alice.Tag, (await bob.ExpectStatusAsync(StatusCode.FriendRemoved)).Subject);
        await bob.ExpectAsync<AddUser>(u => u.Tag == alice.Tag && !u.Flags.HasFlag(UserFlags.Friend));
        await bob.SendAsync(new UpdRequest(bob.Tag));
        Assert.Empty((await bob.ExpectAsync<Upd>(u => u.Tag == bob.Tag)).Members);
    }

    [Fact]
    public async Task Refused_request_tells_the_asker_and_crossing_requests_make_friends()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new Friend(FriendAction.Request, bob.Tag));
        await bob.ExpectStatusAsync(StatusCode.FriendRequest);
        await bob.SendAsync(new Friend(FriendAction.Refuse, alice.Tag));
        Assert.Equal(bob.Tag, (await alice.ExpectStatusAsync(StatusCode.FriendRefused)).Subject);
        await bob.SendAsync(new Friend(FriendAction.Accept, alice.Tag));
        Assert.Equal(StatusCode.NotAllowed, (await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Friend && s.Code != StatusCode.Ok)).Code);

        await alice.SendAsync(new Friend(FriendAction.Request, bob.Tag));
        await bob.ExpectStatusAsync(StatusCode.FriendRequest);
        await bob.SendAsync(new Friend(FriendAction.Request, alice.Tag));   // asking back is accepting
        Assert.Equal(bob.Tag, (await alice.ExpectStatusAsync(StatusCode.FriendAccepted)).Subject);
    }

    [Fact]
    public async Task Pending_request_is_delivered_at_sign_in()
    {
        await using var server = await TestServer.StartAsync();
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        await alice.SendAsync(new Friend(FriendAction.Request, bobTag));
        await alice.ExpectStatusAsync(StatusCode.Ok);

        await using var bob = await server.ConnectAsync();
        var burst = await bob.SignInAsync("bob");
        Assert.Equal(alice.Tag, burst.OfType<Status>().Single(s => s.Code == StatusCode.FriendRequest).Subject);
        Assert.Contains(burst, f => f is AddUser u && u.Tag == alice.Tag);
    }

    [Fact]
    public async Task Ignored_users_pms_buzzes_invites_and_requests_are_dropped_silently()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        var room = await alice.CreateChannelAsync("room");
        await bob.SendAsync(new Ignore(alice.Tag, true));
        await bob.ExpectStatusAsync(StatusCode.Ok);

        var ack = await alice.MessageAsync(bob.Tag, "psst");
        Assert.Equal(MessageFlags.None, ack.Flags);                 // the same reply as a delivered PM
        await alice.SendAsync(new Buzz(bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Buzz);
        await alice.SendAsync(new InvSend(room, bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Inv);
        await alice.SendAsync(new Friend(FriendAction.Request, bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Friend);

        var leaked = await bob.SyncAsync();
        Assert.DoesNotContain(leaked, f => f is MsgDeliver or InvNotify or Status { Code: StatusCode.Buzzed or StatusCode.FriendRequest });

        // Nothing was kept for later either, and unignoring restores delivery.
        await bob.SendAsync(new Ignore(alice.Tag, false));
        await bob.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Ignore);
        await alice.MessageAsync(bob.Tag, "hello again");
        Assert.Equal("hello again", TestClient.Text(await bob.ExpectAsync<MsgDeliver>()));
        await bob.SendAsync(new Quit());
        await bob.ReadUntilClosedAsync();
        await using var back = await server.ConnectAsync();
        var burst = await back.SignInAsync("bob");
        Assert.DoesNotContain(burst, f => f is InvNotify or Status { Code: StatusCode.FriendRequest });
    }

    [Fact]
    public async Task Buzz_reaches_an_online_user_and_reports_an_offline_one()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new Buzz(bob.Tag));
        Assert.Equal(alice.Tag, (await bob.ExpectStatusAsync(StatusCode.Buzzed)).Subject);
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Buzz);
        await bob.SendAsync(new Quit());
        await alice.ExpectOfflineAsync(bob.Tag);
        await alice.SendAsync(new Buzz(bob.Tag));
        var offline = await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Buzz && s.Code != StatusCode.Ok);
        Assert.Equal((StatusCode.UnknownUser, 3u), (offline.Code, offline.Value));
    }
}
