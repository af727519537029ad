// The peer's connection to the rendezvous server: its lifecycle (TLS, HELLO, read loop, heartbeats, QUIT).
using System.Net.Sockets;
using System.Security.Authentication;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// Connection states: Disconnected → (TLS + HELLO) Connected → (IAM … STATUS 2) SignedIn → Disconnected.
/// A disconnected client may connect again (e.g. to sign in after being signed out elsewhere); when the link is lost
/// it reconnects by itself (see ServerConnection.Reconnect.cs).
/// Everything the server says is published to the event sink; see <see cref="ServerFrameHandler"/>. It knows frames and
/// the rendezvous protocol, nothing about encryption: keys and message bodies go through <see cref="IServerHooks"/>.
/// </summary>
public sealed partial class ServerConnection : IAsyncDisposable
{
    /// <summary>The largest message text the server takes (docs/protocol.md, Messages).</summary>
    public const int MaxMessageBytes = 16 * 1024;

    private readonly ServerConnectionOptions _options;
    private readonly IEventSink _events;
    private readonly PendingRequests _pending = new();
    private readonly ServerSession _session = new();
    private readonly ServerFrameHandler _handler;
    private readonly IServerHooks _hooks;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ServerPin _pin;
    private LiveConnection? _link;
    private ulong _pingNonce;

    /// <param name="hooks">where keys and message bodies go (the peer session's end-to-end encryption); plain text when null.</param>
    public ServerConnection(ServerConnectionOptions options, IEventSink events, IServerHooks? hooks = null)
    {
        _options = options;
        _events = events;
        _pin = options.Pin;
        _hooks = hooks ?? IServerHooks.PlainText;
        _handler = new ServerFrameHandler(Directory, _pending, _session, events, SendAsync, _hooks, OnTicket);
    }

    public ClientDirectory Directory { get; } = new();
    public bool IsConnected => _link is not null;
    public bool IsSignedIn => _link is not null && _session.SignedIn;
    public Tag Me => _session.Me;
    public string Username => _session.Username;

    /// <summary>One live TLS connection: its frames, heartbeat, and the read loop's end.</summary>
    private sealed class LiveConnection(FrameConnection frames)
    {
        public FrameConnection Frames { get; } = frames;
        public Heartbeat? Heartbeat { get; set; }
        public CancellationTokenSource Stop { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Quitting;
        /// <summary>Set when we close the link ourselves because the server went silent.</summary>
        public volatile string? SilentFor;
    }

    /// <summary>The user's /connect: it takes over from an automatic reconnect in progress.</summary>
    public Task ConnectAsync(CancellationToken ct)
    {
        CancelReconnect();
        return ConnectCoreAsync(ct);
    }

    private async Task ConnectCoreAsync(CancellationToken ct)
    {
        await _connectLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_link is not null) return;
            var server = await OpenAsync(ct).ConfigureAwait(false);
            var frames = new FrameConnection(server.Stream, FrameDirection.ToClient);
            HelloOk hello;
            try { hello = await HandshakeAsync(frames, ct).ConfigureAwait(false); }
            catch { await frames.DisposeAsync().ConfigureAwait(false); throw; }

            if (server.Pin is PinOutcome.FirstUse or PinOutcome.Replaced) _pin = new ServerPin(server.Fingerprint, null);
            _session.Reset();
            _pending.Clear();
            Directory.Clear();
            var link = new LiveConnection(frames);
            if (hello.HeartbeatMs > 0)
                link.Heartbeat = new Heartbeat(_options.Time, TimeSpan.FromMilliseconds(hello.HeartbeatMs),
                    () => SendAsync(new Ping(Interlocked.Increment(ref _pingNonce)), CancellationToken.None),
                    onSilence: () => CloseSilentLink(link));
            _link = link;
            _events.Publish(new ConnectedEvent(_options.Server.ToString(), server.Fingerprint, server.Pin, hello.Version));
            _ = Task.Run(() => ReadLoopAsync(link), CancellationToken.None);
        }
        finally { _connectLock.Release(); }
    }

    /// <summary>TCP and TLS, within <see cref="ServerConnectionOptions.ReplyTimeout"/> (a black-holed address would otherwise hang for minutes).</summary>
    private async Task<ServerLink> OpenAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.ReplyTimeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await _options.Connector.ConnectAsync(_options.Server, _pin, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new CommandFailedException(PeerErrorCode.ConnectionFailed,
                $"cannot connect to {_options.Server}: no answer within {_options.ReplyTimeout.TotalSeconds:0} s");
        }
        catch (CertificateRejectedException e)
        {
            throw new CommandFailedException(PeerErrorCode.CertificateRejected, e.Message);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException)
        {
            throw new CommandFailedException(PeerErrorCode.ConnectionFailed, $"cannot connect to {_options.Server}: {e.Message}");
        }
    }

    /// <summary>HELLO → HELLO (the agreed version) or STATUS (e.g. 19 no common version, 26 too many connections).</summary>
    private async Task<HelloOk> HandshakeAsync(FrameConnection frames, CancellationToken ct)
    {
        Frame? reply;
        try
        {
            await frames.SendAsync(new Hello(ProtocolVersion.Min, ProtocolVersion.Max, _options.ClientName), ct).ConfigureAwait(false);
            reply = await frames.ReadAsync(ct).AsTask().WaitAsync(_options.ReplyTimeout, _options.Time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CommandFailedException(PeerErrorCode.NoReply, $"{_options.Server} did not answer HELLO");
        }
        catch (ProtocolException e)
        {
            throw new CommandFailedException(PeerErrorCode.ProtocolError, $"{_options.Server} broke the protocol: {e.Message}");
        }
        catch (IOException e)
        {
            throw new CommandFailedException(PeerErrorCode.ConnectionFailed, $"{_options.Server} closed the connection: {e.Message}");
        }
        return reply switch
        {
            HelloOk hello => hello,
            Status s => throw new CommandFailedException((int)s.Code, StatusText.Describe(s)),
            null => throw new CommandFailedException(PeerErrorCode.ConnectionFailed, $"{_options.Server} closed the connection"),
            _ => throw new CommandFailedException(PeerErrorCode.ProtocolError, $"{_options.Server} answered HELLO with {reply.Opcode}"),
        };
    }

    private async Task ReadLoopAsync(LiveConnection link)
    {
        var reason = "the server closed the connection";
        int? code = null;
        try
        {
            while (await link.Frames.ReadAsync(link.Stop.Token).ConfigureAwait(false) is { } frame)
            {
                link.Heartbeat?.NoteReceived();
                if (LinkFrames?.Invoke(frame) == true) continue;
                await _handler.HandleAsync(frame, link.Stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (link.Stop.IsCancellationRequested)
        {
            reason = "closed";
            if (link.SilentFor is { } silent) { reason = silent; code = (int)StatusCode.Timeout; }
        }
        catch (ProtocolException e) { reason = $"the server broke the protocol: {e.Message}"; code = (int)PeerErrorCode.ProtocolError; }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or CommandFailedException)
        {
            reason = $"connection lost: {e.Message}";
        }
        if (_session.Closing is { } closing) { reason = StatusText.Describe(closing); code = (int)closing.Code; }
        else if (link.Quitting) reason = "quit";

        Interlocked.CompareExchange(ref _link, null, link);
        link.Heartbeat?.Dispose();
        _pending.Clear();
        _session.SignedIn = false;
        await link.Frames.DisposeAsync().ConfigureAwait(false);
        // Decided before the disconnected event is out (so whoever sees it can ask IsReconnecting); the loop's
        // reconnecting event waits until the link is closed, so it always comes after the disconnected one.
        var closedByUs = link.Quitting || link.Stop.IsCancellationRequested && link.SilentFor is null;
        if (!closedByUs && ReconnectPolicy.MayReconnectAfter(code)) StartReconnect(reason, after: link.Closed.Task);
        _events.Publish(new DisconnectedEvent(reason, code));
        link.Closed.TrySetResult();
    }

    /// <summary>The server has not answered for a long time (not even PONG): the link is dead, close it.</summary>
    private void CloseSilentLink(LiveConnection link)
    {
        var seconds = link.Heartbeat?.Silence.TotalSeconds ?? 0;
        link.SilentFor = $"the server has not answered for {seconds:0} s; the connection is presumed dead";
        link.Stop.Cancel();
    }

    /// <summary>Sends one frame on the live connection (not connected: NotConnected).</summary>
    public async ValueTask SendAsync(Frame frame, CancellationToken ct)
    {
        var link = _link ?? throw new CommandFailedException(PeerErrorCode.NotConnected, "not connected to the server");
        try
        {
            await link.Frames.SendAsync(frame, ct).ConfigureAwait(false);
            link.Heartbeat?.NoteSent();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            throw new CommandFailedException(PeerErrorCode.NotConnected, $"the connection to the server is lost: {e.Message}");
        }
    }

    public async Task QuitAsync(CancellationToken ct)
    {
        CancelReconnect();
        if (_link is not { } link) return;
        link.Quitting = true;
        try { await SendAsync(new Quit(), ct).ConfigureAwait(false); }
        catch (CommandFailedException) { }
        try { await link.Closed.Task.WaitAsync(_options.ReplyTimeout, _options.Time, ct).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            await link.Stop.CancelAsync().ConfigureAwait(false);
            await link.Closed.Task.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopReconnectingAsync().ConfigureAwait(false);
        if (_link is { } link)
        {
            await link.Stop.CancelAsync().ConfigureAwait(false);
            await link.Closed.Task.ConfigureAwait(false);
        }
        _connectLock.Dispose();
    }
}
