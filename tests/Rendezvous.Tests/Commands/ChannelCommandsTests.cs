// Channels: create, resolve, join (open and invite-only), invite, leave, operator kick, topic and member lists.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class ChannelCommandsTests
{
    [Fact]
    public async Task Create_resolve_and_join_an_open_channel()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new Create("Lobby", ChannelFlags.None, "welcome"));
        var created = await alice.ExpectAsync<AddChannel>();
        Assert.Equal(("Lobby", ChannelFlags.Operator, "welcome"), (created.Name, created.Flags, created.Topic));
        Assert.Equal(alice.Tag, (await alice.ExpectAsync<CoJoined>()).User);
        var upd = await alice.ExpectAsync<Upd>(u => u.Tag == created.Tag);
        Assert.Equal([alice.Tag], upd.Members);
        Assert.Equal([alice.Tag], upd.Operators);

        await bob.SendAsync(new Resolve("#lobby"));
        Assert.Equal(created.Tag, (await bob.ExpectAsync<AddChannel>()).Tag);
        await bob.SendAsync(new Resolve("#nowhere"));
        await bob.ExpectStatusAsync(StatusCode.UnknownChannel);
        await bob.SendAsync(new Resolve("alice"));
        Assert.Equal(alice.Tag, (await bob.ExpectAsync<AddUser>(u => u.Username == "alice")).Tag);
        await bob.SendAsync(new Resolve("nobody"));
        Assert.Equal(1u, (await bob.ExpectStatusAsync(StatusCode.UnknownUser)).Value);
        await bob.SendAsync(new Create("LOBBY", ChannelFlags.None, ""));
        await bob.ExpectStatusAsync(StatusCode.ChannelExists);
        await bob.SendAsync(new Create("bad name", ChannelFlags.None, ""));
        await bob.ExpectStatusAsync(StatusCode.InvalidField);

        await bob.SendAsync(new CoJoin(created.Tag));
        await bob.ExpectAsync<AddChannel>(c => c.Tag == created.Tag && c.Flags == ChannelFlags.None);
        var members = await bob.ExpectAsync<Upd>(u => u.Tag == created.Tag);
        Assert.Equal([alice.Tag, bob.Tag], members.Members);
        await bob.ExpectAsync<CoJoined>(c => c.User == bob.Tag);
        Assert.Equal(created.Tag, (await alice.ExpectAsync<CoJoined>(c => c.User == bob.Tag)).Channel);

        await bob.SendAsync(new UpdRequest(created.Tag));
        Assert.Equal([alice.Tag], (await bob.ExpectAsync<Upd>(u => u.Tag == created.Tag)).Operators);
    }

    [Fact]
    public async Task Invite_only_channel_needs_an_invite_from_an_operator()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.SignedInAsync("carol");
        var secret = await alice.CreateChannelAsync("secret", ChannelFlags.InviteOnly);

        await bob.SendAsync(new CoJoin(secret));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed);
        await alice.SendAsync(new InvSend(secret, bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Inv);
        await bob.ExpectAsync<AddChannel>(c => c.Tag == secret && c.Flags.HasFlag(ChannelFlags.InviteOnly));
        var inv = await bob.ExpectAsync<InvNotify>();
        Assert.Equal((secret, alice.Tag), (inv.Channel, inv.Inviter));
        await bob.JoinAsync(secret);

        await bob.SendAsync(new InvSend(secret, carol.Tag));     // members who are not operators may not invite here
        await bob.ExpectStatusAsync(StatusCode.NotAllowed);
        await carol.SendAsync(new InvSend(secret, bob.Tag));
        await carol.ExpectStatusAsync(StatusCode.NotMember);
    }

    [Fact]
    public async Task Resolve_shows_an_invite_only_channel_to_members_and_invitees_only()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var mallory = await server.SignedInAsync("mallory");
        var secret = await alice.CreateChannelAsync("secret", ChannelFlags.InviteOnly, "the plan");

        await mallory.SendAsync(new Resolve("#secret"));
        var hidden = await mallory.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Resolve);
        await mallory.SendAsync(new Resolve("#nothing"));
        var missing = await mallory.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Resolve);
        Assert.Equal((StatusCode.UnknownChannel, "no channel #nothing"), (missing.Code, missing.Text));
        Assert.Equal((missing.Code, missing.Value, "no channel #secret"), (hidden.Code, hidden.Value, hidden.Text));
        Assert.DoesNotContain(mallory.Received, f => f is AddChannel c && c.Tag == secret);

        await alice.SendAsync(new Resolve("#secret"));                           // a member
        Assert.Equal("the plan", (await alice.ExpectAsync<AddChannel>(c => c.Tag == secret && c.Topic == "the plan")).Topic);
        await alice.SendAsync(new InvSend(secret, bob.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Inv);
        await bob.ExpectAsync<InvNotify>();
        await bob.SendAsync(new Resolve("#secret"));                             // invited, not yet joined
        await bob.ExpectAsync<AddChannel>(c => c.Tag == secret && c.Topic == "the plan");
    }

    [Fact]
    public async Task Invite_to_an_offline_user_waits_for_sign_in()
    {
        await using var server = await TestServer.StartAsync();
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        var room = await alice.CreateChannelAsync("room", ChannelFlags.InviteOnly, "t");
        await alice.SendAsync(new InvSend(room, bobTag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Inv);

        await using var bob = await server.ConnectAsync();
        var burst = await bob.SignInAsync("bob");
        var inv = burst.OfType<InvNotify>().Single();
        Assert.Equal((room, alice.Tag), (inv.Channel, inv.Inviter));
        var addIndex = burst.FindIndex(f => f is AddChannel c && c.Tag == room);
        Assert.InRange(addIndex, 0, burst.IndexOf(inv) - 1);
        await bob.JoinAsync(room);
        await alice.ExpectAsync<CoJoined>(j => j.User == bob.Tag);
    }

    [Fact]
    public async Task Leave_kick_and_topic()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.SignedInAsync("carol");
        var room = await alice.CreateChannelAsync("room");
        foreach (var c in new[] { bob, carol })
        {
            await c.JoinAsync(room);
            await alice.ExpectAsync<CoJoined>(j => j.User == c.Tag);
        }

        await bob.SendAsync(new Topic(room, "bob's topic"));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed);
        await alice.SendAsync(new Topic(room, "news"));
        Assert.Equal("news", (await carol.ExpectAsync<AddChannel>(c => c.Tag == room && c.Topic == "news")).Topic);
        Assert.True((await alice.ExpectAsync<AddChannel>(c => c.Tag == room && c.Topic == "news")).Flags.HasFlag(ChannelFlags.Operator));

        await bob.SendAsync(new Kick(carol.Tag, room));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed);
        await alice.SendAsync(new Kick(carol.Tag, room));
        foreach (var c in new[] { alice, bob, carol })
        {
            var left = await c.ExpectAsync<Left>();
            Assert.Equal((room, carol.Tag, LeaveReason.Kicked, alice.Tag), (left.Channel, left.User, left.Reason, left.By));
        }

        await bob.SendAsync(new Leave(room));
        foreach (var c in new[] { alice, bob })
        {
            var left = await c.ExpectAsync<Left>(l => l.User == bob.Tag);
            Assert.Equal((LeaveReason.Left, Tag.None), (left.Reason, left.By));
        }
        await bob.SendAsync(new UpdRequest(room));
        await bob.ExpectStatusAsync(StatusCode.NotMember);
        await bob.SendAsync(new Leave(Tag.General));
        await bob.ExpectStatusAsync(StatusCode.NotAllowed);

        // The last member leaving deletes the channel.
        await alice.SendAsync(new Leave(room));
        await alice.ExpectAsync<Left>(l => l.User == alice.Tag);
        await alice.SendAsync(new Resolve("#room"));
        await alice.ExpectStatusAsync(StatusCode.UnknownChannel);
    }

    [Fact]
    public async Task Who_lists_the_general_channel_and_friends()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await alice.SendAsync(new UpdRequest(Tag.General));
        var general = await alice.ExpectAsync<Upd>(u => u.Tag == Tag.General && u.Members.Count == 2);
        Assert.Empty(general.Operators);
        await alice.SendAsync(new UpdRequest(Tag.Channel(4242)));
        await alice.ExpectStatusAsync(StatusCode.NotMember);
    }
}
