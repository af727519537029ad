// Registration and the three-phase sign-in over a real TLS connection: burst order, errors, one session per account.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class SignInCommandTests
{
    [Fact]
    public async Task Burst_comes_in_the_documented_order()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var carol = await server.SignedInAsync("carol");
        // alice: friends with bob, a channel with carol, an offline message from bob, a friend request from carol.
        await alice.SendAsync(new Friend(FriendAction.Request, bob.Tag));
        await bob.ExpectStatusAsync(StatusCode.FriendRequest);
        await bob.SendAsync(new Friend(FriendAction.Accept, alice.Tag));
        await bob.ExpectStatusAsync(StatusCode.Ok);
        var room = await alice.CreateChannelAsync("room", ChannelFlags.None, "talk");
        await carol.SendAsync(new CoJoin(room));
        await carol.ExpectAsync<CoJoined>();
        await alice.SendAsync(new Quit());
        await alice.ReadUntilClosedAsync();
        await carol.SendAsync(new Friend(FriendAction.Request, alice.Tag));
        await carol.ExpectStatusAsync(StatusCode.Ok);
        var sent = await bob.MessageAsync(alice.Tag, "while you were out");
        Assert.Equal(MessageFlags.Offline, sent.Flags);

        await using var again = await server.ConnectAsync();
        var burst = await again.SignInAsync("alice");

        var kinds = burst.Select(Kind).ToList();
        var expected = new[] { "IAM", "ADD user", "ADD channel", "UPD", "STATUS 11", "STATUS 14", "MSG", "STATUS 2" };
        Assert.Equal(expected, kinds.Distinct().ToArray());
        Assert.True(kinds.SequenceEqual(kinds.OrderBy(k => Array.IndexOf(expected, k))), string.Join(",", kinds));

        var iam = Assert.IsType<IamOk>(burst[0]);
        Assert.True(iam.IsAdmin);                       // first account ever registered
        var users = burst.OfType<AddUser>().ToList();
        Assert.Equal(iam.Tag, users[0].Tag);            // yourself first
        Assert.Contains(users, u => u.Tag == bob.Tag && u.Presence == Presence.Online && u.Flags.HasFlag(UserFlags.Friend));
        Assert.Contains(users, u => u.Tag == carol.Tag && u.Presence == Presence.Online && !u.Flags.HasFlag(UserFlags.Friend));
        var channels = burst.OfType<AddChannel>().ToList();
        Assert.Equal([Tag.General, room], channels.Select(c => c.Tag));
        Assert.True(channels[1].Flags.HasFlag(ChannelFlags.Operator));
        Assert.Equal("talk", channels[1].Topic);
        var upds = burst.OfType<Upd>().ToList();
        Assert.Equal([Tag.General, room, iam.Tag], upds.Select(u => u.Tag));
        Assert.Equal(new[] { iam.Tag, bob.Tag, carol.Tag }.OrderBy(t => t.Value), upds[0].Members.OrderBy(t => t.Value));
        Assert.Equal(new[] { iam.Tag, carol.Tag }.OrderBy(t => t.Value), upds[1].Members.OrderBy(t => t.Value));
        Assert.Equal([iam.Tag], upds[1].Operators);
        Assert.Equal([bob.Tag], upds[2].Members);
        Assert.Equal(carol.Tag, burst.OfType<Status>().Single(s => s.Code == StatusCode.FriendRequest).Subject);
        Assert.Equal(1u, burst.OfType<Status>().Single(s => s.Code == StatusCode.OfflineMessages).Value);
        var msg = burst.OfType<MsgDeliver>().Single();
        Assert.Equal("while you were out", TestClient.Text(msg));
        Assert.Equal(sent.SentAtMs, msg.SentAtMs);
        Assert.True(msg.Flags.HasFlag(MessageFlags.Offline));
    }

    [Fact]
    public async Task Others_see_a_user_arrive_and_leave()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        var arrived = await alice.ExpectAsync<AddUser>(u => u.Tag == bob.Tag);
        Assert.Equal(Presence.Online, arrived.Presence);
        Assert.Equal("bob", arrived.Username);
        await bob.SendAsync(new Quit());
        var gone = await alice.ExpectAsync<PresenceUpdate>(p => p.User == bob.Tag);
        Assert.Equal(Presence.Offline, gone.Presence);
    }

    [Fact]
    public async Task Nick_and_presence_changes_reach_everyone()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await bob.SendAsync(new Nick("Bobby"));
        Assert.Equal("Bobby", (await alice.ExpectAsync<AddUser>(u => u.Tag == bob.Tag && u.Nickname == "Bobby")).Nickname);
        await bob.ExpectAsync<AddUser>(u => u.Tag == bob.Tag && u.Nickname == "Bobby");
        await bob.SendAsync(new SetPresence(Presence.Away, "lunch"));
        var away = await alice.ExpectAsync<PresenceUpdate>(p => p.User == bob.Tag);
        Assert.Equal((Presence.Away, "lunch"), (away.Presence, away.Text));
        await bob.SendAsync(new Nick(""));
        Assert.Equal(StatusCode.InvalidField, (await bob.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Nick)).Code);

        // The tag stays and the nickname is kept across sessions.
        await bob.SendAsync(new Quit());
        await bob.ReadUntilClosedAsync();
        await using var again = await server.ConnectAsync();
        var burst = await again.SignInAsync("bob");
        var iam = Assert.IsType<IamOk>(burst[0]);
        Assert.Equal((bob.Tag, "Bobby"), (iam.Tag, iam.Nickname));
    }

    [Fact]
    public async Task An_unknown_user_and_a_wrong_password_get_the_same_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await server.ConnectAsync();
        Assert.Equal(StatusCode.Registered, (await c.RegisterAsync("alice")).Code);
        Assert.Equal(StatusCode.UsernameExists, (await c.RegisterAsync("alice")).Code);   // REGISTER keeps the seed's 5
        await c.SendAsync(new Iam("nobody", "password1"));
        var unknown = await c.ExpectAsync<Status>();
        await c.SendAsync(new Iam("alice", "wrong-password"));
        var wrong = await c.ExpectAsync<Status>();
        Assert.Equal((StatusCode.WrongPassword, 0u, "wrong username or password", Opcode.Iam), (unknown.Code, unknown.Value, unknown.Text, unknown.RefOpcode));
        Assert.Equal((unknown.Code, unknown.Value, unknown.Text, unknown.RefOpcode, unknown.Subject), (wrong.Code, wrong.Value, wrong.Text, wrong.RefOpcode, wrong.Subject));
        await c.SendAsync(new Iam("alice", ""));
        Assert.Equal(StatusCode.NotEnoughData, (await c.ExpectAsync<Status>()).Code);
        await c.SignInAsync("alice");
    }

    [Fact]
    public void Unknown_users_are_checked_against_a_dummy_made_by_the_current_hasher()
    {
        var options = new P2PChat.Rendezvous.Configuration.RendezvousOptions { PasswordMemoryKib = 96, PasswordPasses = 1 };
        var ctx = new P2PChat.Rendezvous.Commands.ServerContext(null!, options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.False(ctx.Hasher.NeedsRehash(ctx.DummyPassword));   // same algorithm and cost as a real account's fresh hash
        Assert.Equal(ctx.Hasher.Hash("x").Algorithm, ctx.DummyPassword.Algorithm);
        Assert.False(P2PChat.Rendezvous.Accounts.PasswordHasher.Verify("password1", ctx.DummyPassword));
    }

    [Fact]
    public async Task Registration_validates_every_field()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await server.ConnectAsync();
        async Task<StatusCode> Register(Register r)
        {
            await c.SendAsync(r);
            return (await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register)).Code;
        }
        Assert.Equal(StatusCode.NotEnoughData, await Register(new Register("", "password1")));
        Assert.Equal(StatusCode.NotEnoughData, await Register(new Register("alice", "")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("al", "password1")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("al ice", "password1")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "short")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "password1", Email: "nope")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "password1", BirthDate: "3000-01-01")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "password1", BirthDate: "1990-13-01")));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "password1", Location: new string('x', 65))));
        Assert.Equal(StatusCode.InvalidField, await Register(new Register("alice", "password1", Nickname: "a\u0001b")));
        Assert.Equal(StatusCode.Registered, await Register(new Register("alice", "password1", "a@example.org", "Alice", "Alice A.", "1990-05-17", "f", "Paris")));
        Assert.Equal(StatusCode.UsernameExists, await Register(new Register("ALICE", "password1")));

        var burst = await c.SignInAsync("alice");
        Assert.Equal("Alice", Assert.IsType<IamOk>(burst[0]).Nickname);
    }

    [Fact]
    public async Task A_second_sign_in_ends_the_first_with_code_15()
    {
        await using var server = await TestServer.StartAsync();
        await using var watcher = await server.SignedInAsync("watcher");
        await using var first = await server.SignedInAsync("alice");
        await using var second = await server.ConnectAsync();
        await second.SignInAsync("alice");
        await first.ExpectClosedWithAsync(StatusCode.SignedInElsewhere);

        // The new session is the live one: messages reach it, and nobody saw alice go offline.
        await watcher.MessageAsync(second.Tag, "still there?");
        Assert.Equal("still there?", TestClient.Text(await second.ExpectAsync<MsgDeliver>()));
        await watcher.SyncAsync();
        Assert.DoesNotContain(watcher.Received, f => f is PresenceUpdate { Presence: Presence.Offline });
    }

    [Fact]
    public async Task Iam_after_sign_in_is_not_allowed()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await alice.SendAsync(new Iam("alice", "password1"));
        Assert.Equal(StatusCode.NotAllowed, (await alice.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Iam)).Code);
    }

    [Fact]
    public async Task A_burst_the_server_cannot_complete_closes_with_code_35()
    {
        await using var server = await TestServer.StartAsync(wrapStore: s =>
            FailingStore.Wrap(s, nameof(P2PChat.Rendezvous.Storage.IRendezvousStore.ListInvitesForUserAsync), new IOException("disk on fire")));
        await using var c = await server.ConnectAsync();
        await c.RegisterAsync("alice");
        await c.SendAsync(new Iam("alice", "password1"));
        var frames = await c.ReadUntilClosedAsync();
        Assert.Equal(StatusCode.InternalError, Assert.IsType<Status>(frames[^1]).Code);
        Assert.DoesNotContain(frames, f => f is Status { Code: StatusCode.AuthOk });
    }

    private static string Kind(Frame f) => f switch
    {
        IamOk => "IAM",
        AddUser => "ADD user",
        AddChannel => "ADD channel",
        Upd => "UPD",
        Status s => $"STATUS {(int)s.Code}",
        MsgDeliver => "MSG",
        _ => f.GetType().Name,
    };
}
