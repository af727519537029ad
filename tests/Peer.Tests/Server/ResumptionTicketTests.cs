// The client's cheap reconnect: a ticket asked for after a password sign-in, RESUME on reconnect, fallbacks when refused or busy.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;
using P2PChat.Peer.Server;
using P2PChat.Peer.Session;
using P2PChat.Peer.Tests.Fakes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class ResumptionTicketTests : IAsyncLifetime
{
    private static readonly Tag Alice = Tag.User(1);
    private static readonly byte[] Ticket = [.. Enumerable.Range(1, 48).Select(i => (byte)i)];
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
            ResumptionTickets = true,
            Reconnect = new ReconnectPolicy { Random = () => 0.5 }, // no jitter: the first retry is exactly 1 s later
        }, _events, null);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static Task SendBurstAsync(FakeSession session, Opcode answering) => session.SendAsync(
        new IamOk(Alice, false, 0, "alice"),
        new AddUser(Alice, "alice", "alice", Presence.Online, "", UserFlags.None, []),
        new AddChannel(Tag.General, "general", ChannelFlags.None, ""),
        new Status(StatusCode.AuthOk, answering, Alice, 0, ""));

    /// <summary>Password sign-in, then the ticket the client asks for; returns the session and the device id it sent.</summary>
    private async Task<(FakeSession Session, byte[] DeviceId)> SignInWithTicketAsync()
    {
        var session = await _server.ConnectAsync(_client);
        var login = _client.LoginAsync("alice", "secret", Ct);
        await session.ReadAsync<Iam>();
        await SendBurstAsync(session, Opcode.Iam);
        await login;
        var asked = await session.ReadAsync<TicketRequest>();
        await session.SendAsync(new TicketIssued(Ticket, 0), new Ping(7));
        Assert.Equal(7u, (await session.ReadAsync<Pong>()).Nonce); // frames are handled in order: the ticket is kept
        return (session, asked.DeviceId);
    }

    private async Task<FakeSession> LoseTheConnectionAndReconnectAsync(FakeSession session)
    {
        await session.DisposeAsync();
        await _events.WaitForAsync<ReconnectingEvent>(r => r.Attempt == 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        return await _server.AcceptHelloAsync();
    }

    [Fact]
    public async Task A_reconnect_resumes_with_the_device_bound_ticket_instead_of_sending_the_password()
    {
        var (first, deviceId) = await SignInWithTicketAsync();

        var second = await LoseTheConnectionAndReconnectAsync(first);
        var resume = await second.ReadAsync<Resume>();
        Assert.Equal(deviceId, resume.DeviceId);
        Assert.Equal(Ticket, resume.Ticket);
        await SendBurstAsync(second, Opcode.Resume);

        await _events.WaitForAsync<SignedInEvent>(_ => _events.Events.OfType<SignedInEvent>().Count() == 2);
        Assert.True(_client.IsSignedIn);
        // The ticket is still good: no new one is asked for, and no password went over the wire.
        await second.SendAsync(new Ping(8));
        Assert.IsType<Pong>(await second.ReadAnyAsync());
    }

    [Fact]
    public async Task A_refused_ticket_falls_back_to_the_password_on_the_same_connection_and_a_new_ticket_is_asked_for()
    {
        var (first, _) = await SignInWithTicketAsync();

        var second = await LoseTheConnectionAndReconnectAsync(first);
        await second.ReadAsync<Resume>();
        await second.SendAsync(new Status(StatusCode.TicketRefused, Opcode.Resume, Tag.None, 0, "revoked"));
        Assert.Equal(new Iam("alice", "secret"), await second.ReadAsync<Iam>());
        await SendBurstAsync(second, Opcode.Iam);

        await second.ReadAsync<TicketRequest>();
        await _events.WaitForAsync<SignedInEvent>(_ => _events.Events.OfType<SignedInEvent>().Count() == 2);
        Assert.DoesNotContain(_events.Events, e => e is ErrorEvent);
    }

    [Fact]
    public async Task A_busy_server_is_asked_again_after_the_delay_it_gives_and_the_session_is_not_timed_out()
    {
        var (first, _) = await SignInWithTicketAsync();

        var second = await LoseTheConnectionAndReconnectAsync(first);
        await second.ReadAsync<Resume>();
        await second.SendAsync(new Status(StatusCode.RetryLater, Opcode.Resume, Tag.None, 2500, ""));
        // Nothing is sent before the delay has passed on the clock; then the same RESUME again.
        await second.SendAsync(new Ping(9));
        Assert.Equal(9u, (await second.ReadAsync<Pong>()).Nonce);
        _time.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(Ticket, (await second.ReadAsync<Resume>()).Ticket);
        await SendBurstAsync(second, Opcode.Resume);
        await _events.WaitForAsync<SignedInEvent>(_ => _events.Events.OfType<SignedInEvent>().Count() == 2);
    }
}
