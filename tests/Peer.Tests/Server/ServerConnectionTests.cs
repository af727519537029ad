// Tests the client's side of the conversation against a scripted server: HELLO, the sign-in burst, messages, replies.
using System.Text;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ServerConnectionTests : IAsyncLifetime
{
    private static readonly Tag Alice = Tag.User(1), Bob = Tag.User(2);
    private static readonly Tag Dev = Tag.Channel(5);
    private static readonly DateTimeOffset Then = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private readonly FakeServer _server = new();
    private readonly ListEventSink _events = new();
    private readonly ManualTimeProvider _time = new();
    private ChatSession _client = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _client = new ChatSession(new ServerConnectionOptions(new ServerAddress("127.0.0.1", _server.Port))
        {
            Connector = _server.Connector,
            Time = _time,
        }, _events, null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<FakeSession> ConnectAsync(uint heartbeatMs = 10_000)
    {
        var connect = _client.ConnectAsync(Ct);
        var session = await _server.AcceptAsync();
        var hello = await session.ReadAsync<Hello>();
        Assert.Equal(ProtocolVersion.Max, hello.MaxVersion);
        await session.SendAsync(new HelloOk(1, 0, heartbeatMs, "fake"));
        await connect;
        return session;
    }

    private async Task<FakeSession> SignInAsync(params Frame[] extraBurst)
    {
        var session = await ConnectAsync();
        var login = _client.LoginAsync("alice", "secret", Ct);
        Assert.Equal(new Iam("alice", "secret"), await session.ReadAsync<Iam>());
        await session.SendAsync([
            new IamOk(Alice, false, 0, "Al"),
            new AddUser(Alice, "Al", "alice", Presence.Online, "", UserFlags.None, []),
            new AddUser(Bob, "Bobby", "bob", Presence.Online, "", UserFlags.Friend, []),
            new AddChannel(Tag.General, "general", ChannelFlags.None, ""),
            new Upd(Tag.General, [Alice, Bob], []),
            new Upd(Alice, [Bob], []),
            .. extraBurst,
            new Status(StatusCode.AuthOk, Opcode.Iam, Alice, 0, ""),
        ]);
        await login;
        Assert.Single(_events.Events.OfType<SignedInEvent>());
        return session;
    }

    [Fact]
    public async Task A_refused_sign_in_ends_the_login_command_with_one_error_event()
    {
        var session = await ConnectAsync();
        var login = _client.LoginAsync("alice", "wrong", Ct);
        await session.ReadAsync<Iam>();
        Assert.False(login.IsCompleted);
        await session.SendAsync(new Status(StatusCode.WrongPassword, Opcode.Iam, Tag.None, 0, "wrong password"));
        await login;
        Assert.Equal(new ErrorEvent(4, "wrong password", "login"), _events.Single<ErrorEvent>());
        Assert.False(_client.IsSignedIn);
    }

    [Fact]
    public async Task Signing_in_at_start_registers_a_missing_account_without_an_error()
    {
        var session = await ConnectAsync();
        var signIn = _client.SignInAsync("carol", "password1", registerIfMissing: true, Ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync(new Status(StatusCode.UnknownUser, Opcode.Iam, Tag.None, 1, "not registered"));
        Assert.Equal("carol", (await session.ReadAsync<Register>()).Username);
        await session.SendAsync(new Status(StatusCode.Registered, Opcode.Register, Tag.User(3), 0, ""));
        Assert.Equal(new Iam("carol", "password1"), await session.ReadAsync<Iam>());
        await session.SendAsync(new IamOk(Tag.User(3), false, 0, "carol"), new Status(StatusCode.AuthOk, Opcode.Iam, Tag.User(3), 0, ""));
        await signIn;
        Assert.True(_client.IsSignedIn);
        Assert.Empty(_events.Events.OfType<ErrorEvent>());
        Assert.Single(_events.Events.OfType<RegisteredEvent>());
    }

    [Fact]
    public async Task Signing_in_at_start_reports_a_wrong_password_once_and_registers_nothing()
    {
        var session = await ConnectAsync();
        var signIn = _client.SignInAsync("alice", "wrong", registerIfMissing: true, Ct);
        await session.ReadAsync<Iam>();
        await session.SendAsync(new Status(StatusCode.WrongPassword, Opcode.Iam, Tag.None, 0, "wrong password"));
        // The server answers an unknown user the same way, so the peer tries to register; "taken" settles it.
        Assert.Equal("alice", (await session.ReadAsync<Register>()).Username);
        await session.SendAsync(new Status(StatusCode.UsernameExists, Opcode.Register, Tag.None, 0, "username taken"));
        await signIn;
        Assert.Equal(new ErrorEvent(4, "wrong password", "login"), _events.Single<ErrorEvent>());
        Assert.Empty(_events.Events.OfType<RegisteredEvent>());
    }

    [Fact]
    public async Task Register_waits_for_the_answer_and_reports_the_new_tag()
    {
        var session = await ConnectAsync();
        var register = _client.RegisterAsync(new Register("carol", "password1", Nickname: "Caz"), Ct);
        Assert.Equal("Caz", (await session.ReadAsync<Register>()).Nickname);
        Assert.False(register.IsCompleted);
        await session.SendAsync(new Status(StatusCode.Registered, Opcode.Register, Tag.User(3), 0, ""));
        await register;
        Assert.Equal(new RegisteredEvent("carol", Tag.User(3).Value), _events.Single<RegisteredEvent>());
    }

    [Fact]
    public async Task Connecting_says_hello_and_reports_the_fingerprint()
    {
        await ConnectAsync();
        var connected = _events.Single<ConnectedEvent>();
        Assert.Equal(FakeServer.Fingerprint, connected.Fingerprint);
        Assert.True(_client.IsConnected);
        Assert.False(_client.IsSignedIn);
    }

    [Fact]
    public async Task A_connection_that_never_opens_fails_after_the_reply_timeout()
    {
        await using var client = new ChatSession(new ServerConnectionOptions(new ServerAddress("192.0.2.1", 1))
        {
            Connector = new HangingConnector(),
            Time = _time,
        }, _events, null);
        var connect = client.ConnectAsync(Ct);
        Assert.False(connect.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => connect);
        Assert.Equal((int)PeerErrorCode.ConnectionFailed, e.Code);
        Assert.Contains("no answer within 10 s", e.Message);
    }

    /// <summary>A connector whose TCP connect never completes (a black-holed address), until cancelled.</summary>
    private sealed class HangingConnector : IServerConnector
    {
        public async ValueTask<ServerLink> ConnectAsync(ServerAddress address, ServerPin pin, CancellationToken ct)
        {
            await new TaskCompletionSource().Task.WaitAsync(ct);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task A_status_instead_of_hello_fails_the_connect_with_its_code()
    {
        var connect = _client.ConnectAsync(Ct);
        var session = await _server.AcceptAsync();
        await session.ReadAsync<Hello>();
        await session.SendAsync(new Status(StatusCode.TooManyConnections, Opcode.Hello, Tag.None, 0, ""));
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => connect);
        Assert.Equal((int)StatusCode.TooManyConnections, e.Code);
        Assert.False(_client.IsConnected);
    }

    [Fact]
    public async Task The_sign_in_burst_fills_the_directory_and_ends_with_signed_in()
    {
        await SignInAsync();
        Assert.Equal(new SignedInEvent("alice", Alice.Value, "Al", false), _events.Single<SignedInEvent>());
        Assert.True(_client.IsSignedIn);
        Assert.Equal(Bob, _client.Directory.FindUser("BOB")!.Tag);
        Assert.Equal(["bob"], _events.Single<FriendsEvent>().Friends.Select(f => f.User));
        var members = _events.Single<MembersEvent>();
        Assert.Equal(("#general", 1u), (members.Channel, members.Tag));
        Assert.Equal(["alice", "bob"], members.Members);
        var events = _events.Events;
        Assert.IsType<SignedInEvent>(events[^1]);
    }

    [Fact]
    public async Task Offline_messages_arrive_with_their_time_and_are_acknowledged_with_the_last_id()
    {
        var session = await SignInAsync(
            new Status(StatusCode.OfflineMessages, Opcode.Iam, Tag.None, 2, ""),
            new MsgDeliver(Bob, "first"u8.ToArray(), Alice, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 10),
            new MsgDeliver(Bob, "second"u8.ToArray(), Alice, Then.AddMinutes(1).ToUnixTimeMilliseconds(), MessageFlags.Offline, 11));
        Assert.Equal(new OfflineAck(11), await session.ReadAsync<OfflineAck>());
        var messages = _events.Events.OfType<MessageEvent>().ToList();
        Assert.Equal(["first", "second"], messages.Select(m => m.Text));
        Assert.All(messages, m => Assert.True(m.Offline));
        Assert.Equal(new MessageEvent("bob", "alice", "first", Then, true, "server", false, 10), messages[0]);
    }

    [Fact]
    public async Task An_offline_message_stored_during_sign_in_is_shown_once_and_acknowledged_at_once()
    {
        var session = await SignInAsync(
            new Status(StatusCode.OfflineMessages, Opcode.Iam, Tag.None, 1, ""),
            new MsgDeliver(Bob, "first"u8.ToArray(), Alice, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 10));
        Assert.Equal(new OfflineAck(10), await session.ReadAsync<OfflineAck>());

        // After STATUS 2: a copy of id 10 (the server stored it while the burst was read) and a late one, id 12.
        await session.SendAsync(
            new MsgDeliver(Bob, "first"u8.ToArray(), Alice, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 10),
            new MsgDeliver(Bob, "late"u8.ToArray(), Alice, Then.AddMinutes(1).ToUnixTimeMilliseconds(), MessageFlags.Offline, 12));

        Assert.Equal(new OfflineAck(12), await session.ReadAsync<OfflineAck>());
        await _events.WaitForAsync<MessageEvent>(m => m.MessageId == 12);
        Assert.Equal([(10ul, "first"), (12ul, "late")], _events.Events.OfType<MessageEvent>().Select(m => (m.MessageId, m.Text)));
    }

    [Fact]
    public async Task Offline_messages_pushed_out_of_id_order_are_each_acknowledged_by_their_own_id()
    {
        var session = await SignInAsync();

        // The server stored 11 before 12 but pushed 12 first: "up to 12" must not cover 11, so 11 is acknowledged too.
        await session.SendAsync(
            new MsgDeliver(Bob, "later id"u8.ToArray(), Alice, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 12),
            new MsgDeliver(Bob, "earlier id"u8.ToArray(), Alice, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline, 11));

        Assert.Equal(new OfflineAck(12), await session.ReadAsync<OfflineAck>());
        Assert.Equal(new OfflineAck(11), await session.ReadAsync<OfflineAck>());
    }

    [Fact]
    public async Task A_message_to_a_known_user_is_sent_and_its_ack_reported()
    {
        var session = await SignInAsync();
        await _client.SendTextAsync("bob", "héllo", Ct);
        var msg = await session.ReadAsync<MsgSend>();
        Assert.Equal(Bob, msg.To);
        Assert.Equal("héllo", Encoding.UTF8.GetString(msg.Data.Span));
        await session.SendAsync(new MsgAck(msg.RequestId, 99, Then.ToUnixTimeMilliseconds(), MessageFlags.Offline));
        Assert.Equal(new SentEvent("bob", msg.RequestId, 99, Then, true), await _events.WaitForAsync<SentEvent>());
    }

    [Fact]
    public async Task An_unknown_name_is_resolved_first()
    {
        var session = await SignInAsync();
        var send = _client.SendTextAsync("#dev", "hi all", Ct);
        Assert.Equal(new Resolve("#dev"), await session.ReadAsync<Resolve>());
        await session.SendAsync(new AddChannel(Dev, "dev", ChannelFlags.None, "topic"));
        await send;
        Assert.Equal(Dev, (await session.ReadAsync<MsgSend>()).To);
    }

    [Fact]
    public async Task An_unknown_user_fails_the_command_with_the_server_code_and_sends_nothing_else()
    {
        var session = await SignInAsync();
        var buzz = _client.BuzzAsync("nobody", Ct);
        await session.ReadAsync<Resolve>();
        await session.SendAsync(new Status(StatusCode.UnknownUser, Opcode.Resolve, Tag.None, 1, "no such user"));
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => buzz);
        Assert.Equal((int)StatusCode.UnknownUser, e.Code);
        Assert.Empty(_events.Events.OfType<ErrorEvent>());
    }

    [Fact]
    public async Task A_refusal_is_an_error_event_naming_the_command_and_ok_a_status_event()
    {
        var session = await SignInAsync();
        await _client.FriendAsync(FriendAction.Request, "bob", Ct);
        await _client.IgnoreAsync("bob", true, Ct);
        await session.ReadAsync<Friend>();
        await session.ReadAsync<Ignore>();
        await session.SendAsync(
            new Status(StatusCode.Flooding, Opcode.Friend, Tag.None, 60, "slow down"),
            new Status(StatusCode.Ok, Opcode.Ignore, Bob, 0, ""));
        Assert.Equal(new ErrorEvent(25, "slow down (60 s left)", "friend"), await _events.WaitForAsync<ErrorEvent>());
        var ok = await _events.WaitForAsync<StatusEvent>(s => s.Code == 18);
        Assert.Equal("ignore", ok.Command);
        Assert.Equal("ok", ok.Name);
    }

    [Fact]
    public async Task A_topic_is_answered_only_by_the_channel_add_that_carries_it()
    {
        // The race CI found: the ADD of our own join arrives after /topic was sent; it is not the topic's answer, so
        // the refusal that follows still names its command.
        var session = await SignInAsync(new AddChannel(Dev, "dev", ChannelFlags.None, ""));
        await _client.TopicAsync("#dev", "mine now", Ct);
        Assert.Equal(new Topic(Dev, "mine now"), await session.ReadAsync<Topic>());
        await session.SendAsync(
            new AddChannel(Dev, "dev", ChannelFlags.None, ""),
            new Status(StatusCode.NotAllowed, Opcode.Topic, Dev, 0, "operators only"));
        Assert.Equal(new ErrorEvent(22, "operators only", "topic"), await _events.WaitForAsync<ErrorEvent>());

        // Accepted: the ADD with the new topic takes the request, so a later refusal is not pinned on it.
        await _client.TopicAsync("#dev", "ours", Ct);
        await session.ReadAsync<Topic>();
        await session.SendAsync(
            new AddChannel(Dev, "dev", ChannelFlags.None, "ours"),
            new Status(StatusCode.NotAllowed, Opcode.Topic, Dev, 0, "stray"));
        Assert.Null((await _events.WaitForAsync<ErrorEvent>(e => e.Text.StartsWith("stray"))).Command);
    }

    [Fact]
    public async Task Unsolicited_news_becomes_its_own_events()
    {
        var session = await SignInAsync();
        await session.SendAsync(
            new Status(StatusCode.FriendRequest, 0, Bob, 0, ""),
            new Status(StatusCode.Buzzed, 0, Bob, 0, ""),
            new Status(StatusCode.FriendAccepted, 0, Bob, 0, ""),
            new AddChannel(Dev, "dev", ChannelFlags.InviteOnly, ""),
            new InvNotify(Dev, Bob),
            new CoJoined(Dev, Bob),
            new PresenceUpdate(Bob, Presence.Away, "lunch"),
            new Left(Dev, Bob, LeaveReason.Kicked, Alice));
        await _events.WaitForAsync<LeftEvent>();
        Assert.Equal(new FriendRequestEvent("bob"), _events.Single<FriendRequestEvent>());
        Assert.Equal(new BuzzEvent("bob"), _events.Single<BuzzEvent>());
        Assert.Equal(new FriendUpdateEvent("bob", "accepted"), _events.Single<FriendUpdateEvent>());
        Assert.Equal(new InviteEvent("#dev", "bob"), _events.Single<InviteEvent>());
        Assert.Equal(new JoinedEvent("#dev", "bob"), _events.Single<JoinedEvent>());
        Assert.Equal(new PresenceEvent("bob", Presence.Away, "lunch"), _events.Single<PresenceEvent>());
        Assert.Equal(new LeftEvent("#dev", "bob", true, "alice"), _events.Single<LeftEvent>());
        Assert.Equal(Presence.Away, _client.Directory.FindUser("bob")!.Presence);
    }

    [Fact]
    public async Task Signed_in_elsewhere_is_reported_then_the_disconnection_with_its_code()
    {
        var session = await SignInAsync();
        await session.SendAsync(new Status(StatusCode.SignedInElsewhere, 0, Tag.None, 0, "signed in elsewhere"));
        await session.DisposeAsync();
        var gone = await _events.WaitForAsync<DisconnectedEvent>();
        Assert.Equal(15, gone.Code);
        Assert.Single(_events.Events.OfType<SignedOutElsewhereEvent>());
        Assert.False(_client.IsConnected);
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => _client.BuzzAsync("bob", Ct));
        Assert.Equal((int)PeerErrorCode.NotSignedIn, e.Code);
    }

    [Fact]
    public async Task Commands_before_sign_in_are_refused_locally()
    {
        await ConnectAsync();
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => _client.SendTextAsync("bob", "hi", Ct));
        Assert.Equal((int)PeerErrorCode.NotSignedIn, e.Code);
    }

    [Fact]
    public async Task The_client_pings_when_idle_and_answers_pings()
    {
        var session = await SignInAsync();
        await session.SendAsync(new Ping(5));
        Assert.Equal(new Pong(5), await session.ReadAsync<Pong>());
        _time.Advance(TimeSpan.FromSeconds(10));
        await session.ReadAsync<Ping>();
    }

    [Fact]
    public async Task A_server_that_stops_answering_is_given_up_with_code_33()
    {
        var session = await SignInAsync();
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await session.ReadAsync<Ping>(); // and no PONG
        }
        _time.Advance(TimeSpan.FromSeconds(10));
        var gone = await _events.WaitForAsync<DisconnectedEvent>();
        Assert.Equal(33, gone.Code);
        Assert.Contains("30 s", gone.Reason);
        Assert.False(_client.IsConnected);
    }

    [Fact]
    public async Task Quit_sends_quit_and_waits_for_the_server_to_close()
    {
        var session = await SignInAsync();
        var quit = _client.QuitAsync(Ct);
        await session.ReadAsync<Quit>();
        await session.DisposeAsync();
        await quit;
        Assert.Equal("quit", _events.Single<DisconnectedEvent>().Reason);
    }
}
