// PMs online and offline (order, original times, redelivery until OFFLINE_ACK) and channel messages.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class MessageCommandsTests
{
    [Fact]
    public async Task Online_pm_is_delivered_with_server_time_and_acknowledged()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(time: clock);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        var ack = await alice.MessageAsync(bob.Tag, "hi bob", MessageFlags.Encrypted);
        var msg = await bob.ExpectAsync<MsgDeliver>();
        Assert.Equal(("hi bob", alice.Tag, bob.Tag), (TestClient.Text(msg), msg.From, msg.To));
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), msg.SentAtMs);
        Assert.Equal((ack.MessageId, ack.SentAtMs), (msg.MessageId, msg.SentAtMs));
        Assert.Equal(MessageFlags.Encrypted, msg.Flags);
        Assert.Equal(MessageFlags.None, ack.Flags);
    }

    [Fact]
    public async Task Offline_pms_arrive_at_sign_in_in_order_with_their_original_times()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(time: clock);
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        var acks = new List<MsgAck>();
        for (var i = 0; i < 5; i++)
        {
            acks.Add(await alice.MessageAsync(bobTag, $"message {i}"));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.All(acks, a => Assert.Equal(MessageFlags.Offline, a.Flags));
        Assert.Equal(acks.Select(a => a.MessageId).Order(), acks.Select(a => a.MessageId));

        clock.Advance(TimeSpan.FromMinutes(10));
        await using var bob = await server.ConnectAsync();
        var burst = await bob.SignInAsync("bob");
        Assert.Equal(5u, burst.OfType<Status>().Single(s => s.Code == StatusCode.OfflineMessages).Value);
        var msgs = burst.OfType<MsgDeliver>().ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"message {i}"), msgs.Select(TestClient.Text));
        Assert.Equal(acks.Select(a => a.SentAtMs), msgs.Select(m => m.SentAtMs));
        Assert.Equal(acks.Select(a => a.MessageId), msgs.Select(m => m.MessageId));
        Assert.All(msgs, m => Assert.Equal((MessageFlags.Offline, alice.Tag, bob.Tag), (m.Flags, m.From, m.To)));
    }

    [Fact]
    public async Task Offline_pms_are_delivered_again_until_acknowledged()
    {
        await using var server = await TestServer.StartAsync();
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        var first = await alice.MessageAsync(bobTag, "one");
        var second = await alice.MessageAsync(bobTag, "two");

        async Task<List<MsgDeliver>> SignInAsBob(ulong? ack)
        {
            await using var bob = await server.ConnectAsync();
            var msgs = (await bob.SignInAsync("bob")).OfType<MsgDeliver>().ToList();
            if (ack is { } id) await bob.SendAsync(new OfflineAck(id));
            await bob.SyncAsync();
            await bob.SendAsync(new Quit());
            await bob.ReadUntilClosedAsync();
            return msgs;
        }

        Assert.Equal(["one", "two"], (await SignInAsBob(null)).Select(TestClient.Text));        // no ack: kept
        Assert.Equal(["one", "two"], (await SignInAsBob(first.MessageId)).Select(TestClient.Text)); // acks only "one"
        Assert.Equal(["two"], (await SignInAsBob(second.MessageId)).Select(TestClient.Text));
        Assert.Empty(await SignInAsBob(null));
    }

    [Fact]
    public async Task Channel_messages_reach_the_other_online_members_only()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.SignedInAsync("carol");
        var room = await alice.CreateChannelAsync("room");
        await bob.JoinAsync(room);
        await alice.ExpectAsync<CoJoined>(j => j.User == bob.Tag);

        await alice.MessageAsync(room, "room talk");
        var got = await bob.ExpectAsync<MsgDeliver>();
        Assert.Equal(("room talk", room, alice.Tag), (TestClient.Text(got), got.To, got.From));
        Assert.DoesNotContain(await carol.SyncAsync(), f => f is MsgDeliver);
        Assert.DoesNotContain(await alice.SyncAsync(), f => f is MsgDeliver);

        Assert.Equal(StatusCode.NotMember, (await carol.MessageRefusedAsync(room, "x"u8.ToArray())).Code);
        await alice.MessageAsync(Tag.General, "everyone");
        Assert.Equal(Tag.General, (await carol.ExpectAsync<MsgDeliver>()).To);
        Assert.Equal(Tag.General, (await bob.ExpectAsync<MsgDeliver>(m => m.To == Tag.General)).To);
    }

    [Fact]
    public async Task Bad_messages_are_refused_with_the_request_id()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        var tooBig = await alice.MessageRefusedAsync(alice.Tag, new byte[16 * 1024 + 1]);
        Assert.Equal(StatusCode.InvalidField, tooBig.Code);
        var nobody = await alice.MessageRefusedAsync(Tag.User(999), "x"u8.ToArray());
        Assert.Equal((StatusCode.UnknownUser, Tag.User(999)), (nobody.Code, nobody.Subject));
        Assert.Equal(StatusCode.UnknownChannel, (await alice.MessageRefusedAsync(Tag.Channel(999), "x"u8.ToArray())).Code);
    }

    [Fact]
    public async Task A_store_failure_is_answered_with_code_35_and_the_session_carries_on()
    {
        await using var server = await TestServer.StartAsync(wrapStore: s =>
            FailingStore.Wrap(s, nameof(IRendezvousStore.AppendOfflineMessageAsync), new IOException("disk on fire")));
        var bobTag = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");
        var refused = await alice.MessageRefusedAsync(bobTag, "lost?"u8.ToArray());
        Assert.Equal((StatusCode.InternalError, bobTag), (refused.Code, refused.Subject));
        await alice.SyncAsync();                                     // still connected
        await alice.MessageAsync(Tag.General, "still talking");
    }
}
