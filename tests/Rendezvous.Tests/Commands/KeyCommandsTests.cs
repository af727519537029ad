// The end-to-end key directory: publishing prekeys, fetching bundles (each one-time prekey once), low-count notices, identity changes.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class KeyCommandsTests
{
    private static byte[] Blob(byte fill, int length) => Enumerable.Repeat(fill, length).ToArray();
    private static readonly byte[] AliceIdentity = Blob(0xA1, 131), AliceIdentity2 = Blob(0xA2, 131);
    private static readonly byte[] Signed = Blob(0x5B, 133);

    private static async Task<TestClient> SignedInWithIdentityAsync(TestServer server, string username, byte[] identity)
    {
        var client = await server.ConnectAsync();
        await client.SendAsync(new Register(username, "password1", IdentityKey: identity));
        Assert.Equal(StatusCode.Registered, (await client.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register)).Code);
        await client.SignInAsync(username);
        return client;
    }

    private static async Task<Status> PublishAsync(TestClient client, byte[] signed, params byte[][] oneTime)
    {
        await client.SendAsync(new Prekeys(signed, oneTime));
        return await client.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Prekeys);
    }

    [Fact]
    public async Task Published_prekeys_are_counted_and_a_bundle_hands_out_each_one_time_prekey_exactly_once()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await using var bob = await server.SignedInAsync("bob");
        var ok = await PublishAsync(alice, Signed, Blob(1, 69), Blob(2, 69));
        Assert.Equal((StatusCode.Ok, 2u), (ok.Code, ok.Value));

        var fetched = new List<Bundle>();
        for (var i = 0; i < 3; i++)
        {
            await bob.SendAsync(new BundleRequest(alice.Tag));
            fetched.Add(await bob.ExpectAsync<Bundle>());
        }
        Assert.All(fetched, b =>
        {
            Assert.Equal(alice.Tag, b.User);
            Assert.Equal(AliceIdentity, b.IdentityKey);
            Assert.Equal(Signed, b.SignedPrekey);
        });
        Assert.Equal([Blob(1, 69), Blob(2, 69), []], fetched.Select(b => b.OneTimePrekey));
        Assert.Equal(0, await server.Store.CountOneTimePrekeysAsync(alice.Tag.Value, TestClient.Ct));
    }

    [Fact]
    public async Task Strangers_cannot_drain_one_time_prekeys_but_friends_still_get_them()
    {
        var clock = new P2PChat.TestSupport.ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o =>
            (o.OneTimePrekeysPerTargetPerHour, o.OneTimePrekeysPerRequesterPerHour, o.HeartbeatTimeoutSeconds, o.MaxConnectionsPerAddress) = (3, 4, 24 * 3600, 100), clock);
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await PublishAsync(alice, Signed, [.. Enumerable.Range(1, 50).Select(i => Blob((byte)i, 69))]);
        await using var fred = await server.SignedInAsync("fred");
        // Friendship through the protocol, so that the signed-in sessions know it.
        await fred.SendAsync(new Friend(FriendAction.Request, alice.Tag));
        await fred.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Friend);
        await alice.SendAsync(new Friend(FriendAction.Accept, fred.Tag));
        await alice.ExpectStatusAsync(StatusCode.Ok, s => s.RefOpcode == Opcode.Friend);
        await fred.ExpectStatusAsync(StatusCode.FriendAccepted);

        async Task<byte[]> FetchAsync(TestClient c, Tag user)
        {
            await c.SendAsync(new BundleRequest(user));
            var b = await c.ExpectAsync<Bundle>(x => x.User == user);
            Assert.Equal(Signed, b.SignedPrekey);                          // every bundle works, with or without one
            return b.OneTimePrekey;
        }
        var strangers = new List<TestClient>();
        try
        {
            for (var i = 0; i < 4; i++) strangers.Add(await server.SignedInAsync($"stranger{i}"));
            var got = new List<int>();
            foreach (var c in strangers) got.Add((await FetchAsync(c, alice.Tag)).Length);
            Assert.Equal([69, 69, 69, 0], got);                                // 3 an hour to strangers
            Assert.Empty(await FetchAsync(strangers[0], alice.Tag));
            for (var i = 0; i < 5; i++) Assert.NotEmpty(await FetchAsync(fred, alice.Tag));   // friends preferred
            Assert.Equal(50 - 3 - 5, await server.Store.CountOneTimePrekeysAsync(alice.Tag.Value, TestClient.Ct));

            // Per requester: stranger3 may take 4 an hour, whoever the targets are.
            var others = new List<TestClient>();
            for (var i = 0; i < 5; i++)
            {
                var o = await SignedInWithIdentityAsync(server, $"target{i}", Blob((byte)(0xB0 + i), 131));
                await PublishAsync(o, Signed, Blob(1, 69), Blob(2, 69));
                others.Add(o);
            }
            strangers.AddRange(others);
            var fromMany = new List<int>();
            foreach (var o in others) fromMany.Add((await FetchAsync(strangers[3], o.Tag)).Length);
            Assert.Equal([69, 69, 69, 69, 0], fromMany);

            clock.Advance(TimeSpan.FromHours(1));
            Assert.NotEmpty(await FetchAsync(strangers[3], alice.Tag));         // the budgets refill
        }
        finally
        {
            foreach (var c in strangers) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Concurrent_fetches_never_get_the_same_one_time_prekey()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxCommandsPerWindow = 100);
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await PublishAsync(alice, Signed, [.. Enumerable.Range(1, 20).Select(i => Blob((byte)i, 69))]);
        var fetchers = new List<TestClient>();
        try
        {
            for (var i = 0; i < 4; i++) fetchers.Add(await server.SignedInAsync($"fetcher{i}"));
            foreach (var f in fetchers) for (var i = 0; i < 5; i++) await f.SendAsync(new BundleRequest(alice.Tag));
            var keys = new List<byte[]>();
            foreach (var f in fetchers) for (var i = 0; i < 5; i++) keys.Add((await f.ExpectAsync<Bundle>()).OneTimePrekey);
            Assert.Equal(20, keys.Select(Convert.ToHexString).Distinct().Count());
        }
        finally { foreach (var f in fetchers) await f.DisposeAsync(); }
    }

    [Fact]
    public async Task The_owner_hears_when_few_one_time_prekeys_are_left_at_sign_in_and_after_a_fetch()
    {
        await using var server = await TestServer.StartAsync();
        await using (var first = await SignedInWithIdentityAsync(server, "alice", AliceIdentity))
        {
            Assert.Equal(0u, Assert.Single(first.Received.OfType<PrekeysLow>()).Remaining);
        }
        await using var alice = await server.ConnectAsync();
        var burst = await alice.SignInAsync("alice");
        var low = Assert.Single(burst.OfType<PrekeysLow>());
        Assert.True(burst.IndexOf(low) < burst.FindIndex(f => f is Status { Code: StatusCode.AuthOk }));

        await PublishAsync(alice, Signed, [.. Enumerable.Range(1, KeyCommandsLimits.Threshold).Select(i => Blob((byte)i, 69))]);
        await using var bob = await server.SignedInAsync("bob");
        await bob.SendAsync(new BundleRequest(alice.Tag));
        await bob.ExpectAsync<Bundle>();
        Assert.Equal((uint)KeyCommandsLimits.Threshold - 1, (await alice.ExpectAsync<PrekeysLow>()).Remaining);
    }

    [Fact]
    public async Task Bundle_requests_have_their_own_budget_and_do_not_use_up_the_command_limit()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxCommandsPerWindow = 3);
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await PublishAsync(alice, Signed);
        await using var bob = await server.SignedInAsync("bob");
        for (var i = 0; i < 10; i++) await bob.SendAsync(new BundleRequest(alice.Tag));
        for (var i = 0; i < 10; i++) await bob.ExpectAsync<Bundle>();
        await bob.SendAsync(new Nick("Bobby"));
        Assert.Equal("Bobby", (await bob.ExpectAsync<AddUser>(a => a.Tag == bob.Tag)).Nickname);
        for (var i = 0; i < 21; i++) await bob.SendAsync(new BundleRequest(alice.Tag));
        Assert.Equal(StatusCode.Flooding, (await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Bundle)).Code);
    }

    [Fact]
    public async Task A_bundle_for_a_user_without_keys_is_refused_with_status_3()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await using var bob = await server.SignedInAsync("bob");
        await bob.SendAsync(new BundleRequest(alice.Tag));
        var refused = await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Bundle);
        Assert.Equal((StatusCode.UnknownUser, alice.Tag), (refused.Code, refused.Subject));
        await bob.SendAsync(new BundleRequest(Tag.User(999)));
        Assert.Equal(StatusCode.UnknownUser, (await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Bundle)).Code);
    }

    [Fact]
    public async Task Oversized_blobs_and_prekeys_without_an_identity_are_refused()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await using var bob = await server.SignedInAsync("bob");
        Assert.Equal(StatusCode.InvalidField, (await PublishAsync(alice, Blob(1, 513))).Code);
        Assert.Equal(StatusCode.InvalidField, (await PublishAsync(alice, Signed, Blob(1, 513))).Code);
        Assert.Equal(StatusCode.InvalidField, (await PublishAsync(bob, Signed)).Code);
        Assert.Equal(0, await server.Store.CountOneTimePrekeysAsync(alice.Tag.Value, TestClient.Ct));
    }

    [Fact]
    public async Task A_new_identity_replaces_the_old_one_drops_old_prekeys_and_reaches_online_users_as_add()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity);
        await using var bob = await server.SignedInAsync("bob");
        await PublishAsync(alice, Signed, Blob(1, 69));

        await alice.SendAsync(new IdentityChange(AliceIdentity2));
        Assert.Equal(StatusCode.Ok, (await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Identity)).Code);
        Assert.Equal(AliceIdentity2, (await alice.ExpectAsync<AddUser>(a => a.Tag == alice.Tag)).IdentityKey);
        Assert.Equal(AliceIdentity2, (await bob.ExpectAsync<AddUser>(a => a.Tag == alice.Tag)).IdentityKey);
        Assert.Equal(0, await server.Store.CountOneTimePrekeysAsync(alice.Tag.Value, TestClient.Ct));

        await bob.SendAsync(new BundleRequest(alice.Tag));
        Assert.Equal(AliceIdentity2, (await bob.ExpectAsync<Bundle>()).IdentityKey);
        await using var carol = await server.SignedInAsync("carol");
        await carol.SendAsync(new Resolve("alice"));
        Assert.Equal(AliceIdentity2, (await carol.ExpectAsync<AddUser>(a => a.Tag == alice.Tag)).IdentityKey);
    }

    [Fact]
    public async Task Offline_message_senders_are_described_before_their_messages()
    {
        await using var server = await TestServer.StartAsync();
        var bobTag = await server.RegisteredAsync("bob");
        await using (var alice = await SignedInWithIdentityAsync(server, "alice", AliceIdentity))
            await alice.MessageAsync(bobTag, "sealed", MessageFlags.Encrypted);
        await using var bob = await server.ConnectAsync();
        var burst = await bob.SignInAsync("bob");
        var add = burst.OfType<AddUser>().Single(a => a.Username == "alice");
        Assert.Equal(AliceIdentity, add.IdentityKey);
        Assert.True(burst.IndexOf(add) < burst.FindIndex(f => f is MsgDeliver));
    }
}

/// <summary>The server's key-directory limits as the tests use them.</summary>
internal static class KeyCommandsLimits
{
    public const int Threshold = Rendezvous.Commands.KeyCommands.LowThreshold;
}
