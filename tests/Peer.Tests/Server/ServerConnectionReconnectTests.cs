// Tests automatic reconnection against a scripted server on the manual clock: backoff, re-sign-in, and when it must not happen.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ServerConnectionReconnectTests : IAsyncLifetime
{
    private static readonly Tag Alice = Tag.User(1);

    private readonly FakeServer _server = new();
    private readonly ListEventSink _events = new();
    private readonly ManualTimeProvider _time = new();
    private readonly CountingConnector _connector;
    private ChatSession _client = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ServerConnectionReconnectTests() => _connector = new CountingConnector(_server.Connector);

    public ValueTask InitializeAsync()
    {
        _client = new ChatSession(new ServerConnectionOptions(new ServerAddress("127.0.0.1", _server.Port))
        {
            Connector = _connector,
            Time = _time,
            Reconnect = new ReconnectPolicy { Random = () => 0.5 }, // no jitter: exact delays
        }, _events, null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Answers the IAM the client sends next with a short burst and AuthOk; returns that IAM.</summary>
    private static async Task<Iam> AcceptSignInAsync(FakeSession session)
    {
        var iam = await session.ReadAsync<Iam>();
        await session.SendAsync(
            new IamOk(Alice, false, 0, "Al"),
            new AddUser(Alice, "Al", "alice", Presence.Online, "", UserFlags.None, []),
            new AddChannel(Tag.General, "general", ChannelFlags.None, ""),
            new Status(StatusCode.AuthOk, Opcode.Iam, Alice, 0, ""));
        return iam;
    }

    private async Task<FakeSession> SignInAsync()
    {
        var session = await _server.ConnectAsync(_client);
        var login = _client.LoginAsync("alice", "secret", Ct);
        await AcceptSignInAsync(session);
        await login;
        return session;
    }

    /// <summary>No loop runs: five minutes on the clock bring no reconnecting event and no connection attempt.</summary>
    private void AssertNoMoreAttempts(int reconnecting, int connections)
    {
        Assert.False(_client.IsReconnecting);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(reconnecting, _events.Events.OfType<ReconnectingEvent>().Count());
        Assert.Equal(connections, _connector.Attempts);
    }

    private Task<ReconnectingEvent> AttemptAsync(int n) => _events.WaitForAsync<ReconnectingEvent>(r => r.Attempt == n);

    [Fact]
    public async Task A_lost_link_is_reopened_after_a_second_and_signed_in_with_the_same_credentials()
    {
        var first = await SignInAsync();
        await first.DisposeAsync();

        var gone = await _events.WaitForAsync<DisconnectedEvent>();
        var attempt = await AttemptAsync(1);
        Assert.Equal(new ReconnectingEvent(1, 1000, gone.Reason), attempt);
        Assert.Equal(1, _connector.Attempts);

        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _server.AcceptHelloAsync();
        Assert.Equal(new Iam("alice", "secret"), await AcceptSignInAsync(second));
        await _events.WaitForAsync<SignedInEvent>(_ => _events.Events.OfType<SignedInEvent>().Count() == 2);
        Assert.True(_client.IsSignedIn);
        Assert.Equal(2, _events.Events.OfType<ConnectedEvent>().Count());
        await LoopEndedAsync(); // the loop ends just after signed_in is out
        AssertNoMoreAttempts(reconnecting: 1, connections: 2);
    }

    [Fact]
    public async Task While_the_server_is_down_the_wait_doubles_up_to_thirty_seconds()
    {
        var first = await SignInAsync();
        _connector.Refusing = true;
        await first.DisposeAsync();

        long[] expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
        for (var n = 1; n <= expected.Length; n++)
        {
            var attempt = await AttemptAsync(n);
            Assert.Equal(expected[n - 1], attempt.DelayMs);
            if (n > 1) Assert.Contains("cannot connect", attempt.Reason);
            Assert.Equal(n, _connector.Attempts); // the first sign-in's, then one per expired wait
            _time.Advance(TimeSpan.FromMilliseconds(attempt.DelayMs));
        }
        await AttemptAsync(expected.Length + 1);

        _connector.Refusing = false;
        _time.Advance(TimeSpan.FromSeconds(30));
        var back = await _server.AcceptHelloAsync();
        await AcceptSignInAsync(back);
        await _events.WaitForAsync<SignedInEvent>(_ => _events.Events.OfType<SignedInEvent>().Count() == 2);
    }

    [Theory]
    [InlineData(StatusCode.SignedInElsewhere)]
    [InlineData(StatusCode.Kicked)]
    [InlineData(StatusCode.Banned)]
    public async Task No_reconnect_after_being_signed_in_elsewhere_kicked_or_banned(StatusCode code)
    {
        var session = await SignInAsync();
        await session.SendAsync(new Status(code, 0, Tag.None, 0, "bye"));
        await session.DisposeAsync();

        Assert.Equal((int)code, (await _events.WaitForAsync<DisconnectedEvent>()).Code);
        AssertNoMoreAttempts(reconnecting: 0, connections: 1);
    }

    [Fact]
    public async Task No_reconnect_after_quit()
    {
        var session = await SignInAsync();
        var quit = _client.QuitAsync(Ct);
        await session.ReadAsync<Quit>();
        await session.DisposeAsync();
        await quit;

        AssertNoMoreAttempts(reconnecting: 0, connections: 1);
    }

    [Fact]
    public async Task Quit_during_the_wait_stops_the_attempts()
    {
        var first = await SignInAsync();
        await first.DisposeAsync();
        await AttemptAsync(1);

        await _client.QuitAsync(Ct);
        AssertNoMoreAttempts(reconnecting: 1, connections: 1);
    }

    [Fact]
    public async Task A_login_typed_during_the_wait_takes_over_with_its_own_credentials()
    {
        var first = await SignInAsync();
        await first.DisposeAsync();
        await AttemptAsync(1);

        var login = _client.LoginAsync("alice", "typed", Ct);
        Assert.False(_client.IsReconnecting);
        var session = await _server.AcceptHelloAsync();
        Assert.Equal(new Iam("alice", "typed"), await AcceptSignInAsync(session));
        await login;
        Assert.True(_client.IsSignedIn);

        AssertNoMoreAttempts(reconnecting: 1, connections: 2);
    }

    [Fact]
    public async Task A_wrong_password_at_the_automatic_sign_in_ends_the_attempts()
    {
        var first = await SignInAsync();
        await first.DisposeAsync();
        await AttemptAsync(1);

        _time.Advance(TimeSpan.FromSeconds(1));
        var session = await _server.AcceptHelloAsync();
        await session.ReadAsync<Iam>();
        await session.SendAsync(new Status(StatusCode.WrongPassword, Opcode.Iam, Tag.None, 0, "wrong password"));

        Assert.Equal(4, (await _events.WaitForAsync<ErrorEvent>()).Code);
        await LoopEndedAsync();
        AssertNoMoreAttempts(reconnecting: 1, connections: 2);
    }

    /// <summary>The loop ends just after the event that tells its outcome; this waits for that, with a safety net.</summary>
    private async Task LoopEndedAsync()
    {
        await _client.Server.ReconnectLoop.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.False(_client.IsReconnecting);
    }
}
