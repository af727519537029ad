// MSG_MULTI: each part delivered like a PM (online, offline, ignored), one flood count, per-part and whole-frame refusals.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class MultiMessageCommandsTests
{
    private static MsgPart Part(Tag to, string text) => new(to, System.Text.Encoding.UTF8.GetBytes(text));

    private static async Task<MsgMultiAck> SendMultiAsync(TestClient c, uint requestId, params MsgPart[] parts)
    {
        await c.SendAsync(new MsgMultiSend(parts, requestId, MessageFlags.Encrypted));
        var reply = await c.ExpectAsync<Frame>(f => f is MsgMultiAck a && a.RequestId == requestId
            || f is Status { RefOpcode: Opcode.MsgMulti } s && s.Value == requestId);
        return reply as MsgMultiAck ?? throw new Xunit.Sdk.XunitException($"MSG_MULTI refused: {reply}");
    }

    private static async Task<Status> SendRefusedAsync(TestClient c, uint requestId, params MsgPart[] parts)
    {
        await c.SendAsync(new MsgMultiSend(parts, requestId, MessageFlags.None));
        return await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.MsgMulti && s.Value == requestId);
    }

    [Fact]
    public async Task Parts_reach_online_users_live_and_offline_users_at_their_next_sign_in()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(time: clock);
        Tag carolTag;
        await using (var setup = await server.ConnectAsync()) carolTag = (await setup.RegisterAsync("carol")).Subject;
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");

        var ack = await SendMultiAsync(alice, 5, Part(bob.Tag, "key for bob"), Part(carolTag, "key for carol"));

        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), ack.SentAtMs);
        Assert.Equal([(bob.Tag, StatusCode.Ok, MessageFlags.None), (carolTag, StatusCode.Ok, MessageFlags.Offline)],
            ack.Outcomes.Select(o => (o.To, o.Code, o.Flags)));
        var live = await bob.ExpectAsync<MsgDeliver>();
        Assert.Equal(("key for bob", alice.Tag, bob.Tag, MessageFlags.Encrypted, ack.Outcomes[0].MessageId, ack.SentAtMs),
            (TestClient.Text(live), live.From, live.To, live.Flags, live.MessageId, live.SentAtMs));

        await using var carol = await server.ConnectAsync();
        var stored = (await carol.SignInAsync("carol")).OfType<MsgDeliver>().Single();
        Assert.Equal(("key for carol", alice.Tag, MessageFlags.Encrypted | MessageFlags.Offline, ack.Outcomes[1].MessageId, ack.SentAtMs),
            (TestClient.Text(stored), stored.From, stored.Flags, stored.MessageId, stored.SentAtMs));
    }

    [Fact]
    public async Task Queue_caps_per_sender_and_for_strangers_leave_room_for_friends()
    {
        await using var server = await TestServer.StartAsync(o =>
            (o.MaxOfflineMessagesPerRecipient, o.MaxOfflineMessagesPerSender, o.OfflineFriendsReserve, o.MaxOfflineStoresPerMinute) = (10, 3, 4, 1000));
        var victim = await server.RegisteredAsync("victim");
        await using var fred = await server.SignedInAsync("fred");
        Assert.Equal(P2PChat.Rendezvous.Storage.FriendRequestOutcome.Requested, await server.Store.RequestFriendshipAsync(fred.Tag.Value, victim.Value, TestClient.Ct));
        Assert.True(await server.Store.AcceptFriendRequestAsync(victim.Value, fred.Tag.Value, TestClient.Ct));
        var five = Enumerable.Range(0, 5).Select(i => Part(victim, $"m{i}")).ToArray();

        var codes = new List<StatusCode[]>();
        uint request = 0;
        foreach (var name in new[] { "stranger1", "stranger2", "stranger3" })
        {
            await using var stranger = await server.SignedInAsync(name);
            codes.Add([.. (await SendMultiAsync(stranger, ++request, five)).Outcomes.Select(o => o.Code)]);
        }
        Assert.Equal([StatusCode.Ok, StatusCode.Ok, StatusCode.Ok, StatusCode.QueueFull, StatusCode.QueueFull], codes[0]);   // 3 per sender
        Assert.Equal(codes[0], codes[1]);
        Assert.All(codes[2], c => Assert.Equal(StatusCode.QueueFull, c));                    // strangers hold 10 - 4 = 6
        var fromFriend = (await SendMultiAsync(fred, ++request, five)).Outcomes.Select(o => o.Code);
        Assert.Equal([StatusCode.Ok, StatusCode.Ok, StatusCode.Ok, StatusCode.QueueFull, StatusCode.QueueFull], fromFriend);
        Assert.Equal(9, await server.Store.CountOfflineMessagesAsync(victim.Value, TestClient.Ct));
    }

    [Fact]
    public async Task Every_part_stored_for_an_offline_user_counts_against_the_senders_offline_budget()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => (o.MaxOfflineStoresPerMinute, o.HeartbeatTimeoutSeconds) = (4, 24 * 3600), clock);
        var offline = new List<Tag>();
        for (var i = 0; i < 6; i++) offline.Add(await server.RegisteredAsync($"away{i}"));
        await using var bob = await server.SignedInAsync("bob");
        await using var mallory = await server.SignedInAsync("mallory");

        var ack = await SendMultiAsync(mallory, 1, [.. offline.Select(t => Part(t, "hi")), Part(bob.Tag, "live")]);
        Assert.Equal([StatusCode.Ok, StatusCode.Ok, StatusCode.Ok, StatusCode.Ok, StatusCode.Flooding, StatusCode.Flooding, StatusCode.Ok],
            ack.Outcomes.Select(o => o.Code));                                                  // live delivery costs nothing
        Assert.Equal(StatusCode.Flooding, (await mallory.MessageRefusedAsync(offline[5], "again"u8.ToArray())).Code);
        clock.Advance(TimeSpan.FromMinutes(1));
        await mallory.MessageAsync(offline[5], "later");
    }

    [Fact]
    public async Task An_ignoring_recipient_gets_nothing_and_the_sender_sees_the_usual_outcome()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.SignedInAsync("carol");
        await bob.SendAsync(new Ignore(alice.Tag, true));
        await bob.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Ignore);

        var ack = await SendMultiAsync(alice, 1, Part(bob.Tag, "for bob"), Part(carol.Tag, "for carol"));

        Assert.All(ack.Outcomes, o => Assert.Equal((StatusCode.Ok, MessageFlags.None), (o.Code, o.Flags)));
        Assert.Equal("for carol", TestClient.Text(await carol.ExpectAsync<MsgDeliver>()));
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is MsgDeliver);
    }

    [Fact]
    public async Task Twenty_recipients_in_one_frame_count_once_against_the_flood_rule()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 24 * 3600, clock);
        var members = new List<Tag>();
        await using (var setup = await server.ConnectAsync())
            for (var i = 0; i < 20; i++) members.Add((await setup.RegisterAsync($"member{i}")).Subject);
        await using var alice = await server.SignedInAsync("alice");

        for (uint request = 1; request <= 10; request++)
        {
            var ack = await SendMultiAsync(alice, request, [.. members.Select(m => Part(m, $"key {request}"))]);
            Assert.Equal(20, ack.Outcomes.Count(o => o.Code == StatusCode.Ok && o.Flags == MessageFlags.Offline));
        }
        // Ten frames, 200 PMs: the eleventh command is the one refused, with the requestId as value.
        var flooding = await SendRefusedAsync(alice, 11, Part(members[0], "one more"));
        Assert.Equal(StatusCode.Flooding, flooding.Code);
    }

    [Fact]
    public async Task A_part_that_a_MSG_would_refuse_is_refused_alone()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");

        var ack = await SendMultiAsync(alice, 3,
            Part(Tag.User(999_999), "nobody"),
            Part(Tag.General, "a channel"),
            new MsgPart(bob.Tag, new byte[server.Options.MaxMessageBytes + 1]),
            new MsgPart(bob.Tag, Array.Empty<byte>()),
            Part(bob.Tag, "fine"));

        Assert.Equal([StatusCode.UnknownUser, StatusCode.InvalidField, StatusCode.InvalidField, StatusCode.NotEnoughData, StatusCode.Ok],
            ack.Outcomes.Select(o => o.Code));
        Assert.All(ack.Outcomes.SkipLast(1), o => Assert.Equal(0ul, o.MessageId));
        Assert.Equal("fine", TestClient.Text(await bob.ExpectAsync<MsgDeliver>()));
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is MsgDeliver);
    }

    [Fact]
    public async Task No_parts_or_more_than_the_limit_refuse_the_whole_frame_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");

        Assert.Equal(StatusCode.NotEnoughData, (await SendRefusedAsync(alice, 1)).Code);
        var tooMany = Enumerable.Repeat(Part(bob.Tag, "x"), MsgMultiSend.MaxParts + 1).ToArray();
        Assert.Equal(StatusCode.InvalidField, (await SendRefusedAsync(alice, 2, tooMany)).Code);
        Assert.DoesNotContain(await bob.SyncAsync(), f => f is MsgDeliver);

        var ack = await SendMultiAsync(alice, 3, [.. Enumerable.Repeat(Part(bob.Tag, "x"), MsgMultiSend.MaxParts)]);
        Assert.Equal(MsgMultiSend.MaxParts, ack.Outcomes.Count(o => o.Code == StatusCode.Ok));
    }

    [Fact]
    public async Task A_count_larger_than_the_frame_closes_the_connection_as_malformed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        // u16 n = 3 but only one part follows: the codec refuses before allocating.
        var payload = Convert.FromHexString("0003" + "80000001" + "00000001" + "41" + "00000001" + "00");
        var frame = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)(1 + payload.Length));
        frame[4] = (byte)Opcode.MsgMulti;
        payload.CopyTo(frame, 5);

        await alice.SendRawAsync(frame);

        await alice.ExpectClosedWithAsync(StatusCode.MalformedFrame);
    }
}
