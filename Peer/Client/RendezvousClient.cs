// The client side of the rendezvous protocol: connection lifecycle (TLS, HELLO, read loop, heartbeats) and requests.
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Client;

/// <summary>
/// Connection states: Disconnected → (TLS + HELLO) Connected → (IAM … STATUS 2) SignedIn → Disconnected.
/// A disconnected client may connect again (e.g. to sign in after being signed out elsewhere).
/// Everything the server says is published to the event sink; see <see cref="ServerFrameHandler"/>.
/// </summary>
public sealed class RendezvousClient : IChatClient, IAsyncDisposable
{
    /// <summary>The largest message text the server takes (docs/protocol.md, Messages).</summary>
    public const int MaxMessageBytes = 16 * 1024;

    private readonly RendezvousClientOptions _options;
    private readonly IEventSink _events;
    private readonly PendingRequests _pending = new();
    private readonly SessionState _session = new();
    private readonly ServerFrameHandler _handler;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ServerPin _pin;
    private Link? _link;
    private ulong _pingNonce;

    public RendezvousClient(RendezvousClientOptions options, IEventSink events)
    {
        _options = options;
        _events = events;
        _pin = options.Pin;
        _handler = new ServerFrameHandler(Directory, _pending, _session, events, SendAsync);
    }

    public ClientDirectory Directory { get; } = new();
    public bool IsConnected => _link is not null;
    public bool IsSignedIn => _link is not null && _session.SignedIn;
    public Tag Me => _session.Me;
    public string Username => _session.Username;

    /// <summary>One connection: its frames, heartbeat, and the read loop's end.</summary>
    private sealed class Link(FrameConnection frames)
    {
        public FrameConnection Frames { get; } = frames;
        public Heartbeat? Heartbeat { get; set; }
        public CancellationTokenSource Stop { get; } = new();
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Quitting;
    }

    public async Task ConnectAsync(CancellationToken ct)
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
            var link = new Link(frames);
            if (hello.HeartbeatMs > 0)
                link.Heartbeat = new Heartbeat(_options.Time, TimeSpan.FromMilliseconds(hello.HeartbeatMs),
                    () => SendAsync(new Ping(Interlocked.Increment(ref _pingNonce)), CancellationToken.None));
            _link = link;
            _events.Publish(new ConnectedEvent(_options.Server.ToString(), server.Fingerprint, server.Pin, hello.Version));
            _ = Task.Run(() => ReadLoopAsync(link), CancellationToken.None);
        }
        finally { _connectLock.Release(); }
    }

    private async Task<ServerLink> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _options.Connector.ConnectAsync(_options.Server, _pin, ct).ConfigureAwait(false);
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

    private async Task ReadLoopAsync(Link link)
    {
        var reason = "the server closed the connection";
        int? code = null;
        try
        {
            while (await link.Frames.ReadAsync(link.Stop.Token).ConfigureAwait(false) is { } frame)
                await _handler.HandleAsync(frame, link.Stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (link.Stop.IsCancellationRequested) { reason = "closed"; }
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
        _events.Publish(new DisconnectedEvent(reason, code));
        link.Closed.TrySetResult();
    }

    private async ValueTask SendAsync(Frame frame, CancellationToken ct)
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

    private async Task RequestAsync(Frame frame, string command, CancellationToken ct, string? key = null)
    {
        _pending.Add(frame.Opcode, command, key);
        await SendAsync(frame, ct).ConfigureAwait(false);
    }

    private void RequireSignedIn()
    {
        if (!IsSignedIn) throw new CommandFailedException(PeerErrorCode.NotSignedIn, "sign in first: /login USER PASSWORD");
    }

    /// <summary>Returns once the server has answered (a registered or error event), so the next command can rely on it.</summary>
    public async Task RegisterAsync(Register form, CancellationToken ct)
    {
        await ConnectAsync(ct).ConfigureAwait(false);
        var request = _pending.Add(Opcode.Register, "register", form.Username, wantsReply: true);
        await SendAsync(form, ct).ConfigureAwait(false);
        await AwaitAnswerAsync(request, _options.ReplyTimeout, "REGISTER", ct).ConfigureAwait(false);
    }

    /// <summary>Returns once the sign-in burst is complete (signed_in) or sign-in was refused (error), so the next command can rely on it.</summary>
    public async Task LoginAsync(string username, string password, CancellationToken ct)
    {
        if (IsSignedIn) throw new CommandFailedException(PeerErrorCode.BadArguments, $"already signed in as {_session.Username}");
        if (Encoding.UTF8.GetByteCount(username) > byte.MaxValue || Encoding.UTF8.GetByteCount(password) > byte.MaxValue)
            throw new CommandFailedException(PeerErrorCode.BadArguments, "the username and the password are at most 255 bytes each");
        await ConnectAsync(ct).ConfigureAwait(false);
        _session.Username = username;
        var request = _pending.Add(Opcode.Iam, "login", username, wantsReply: true);
        await SendAsync(new Iam(username, password), ct).ConfigureAwait(false);
        await AwaitAnswerAsync(request, SignInTimeout, "IAM", ct).ConfigureAwait(false);
    }

    /// <summary>A sign-in burst may carry many offline messages; it gets longer than other replies.</summary>
    private TimeSpan SignInTimeout => _options.ReplyTimeout * 3;

    /// <summary>The frame answering <paramref name="request"/>, or null when the connection closed first (a disconnected event says why).</summary>
    private async Task<Frame?> AwaitAnswerAsync(PendingRequest request, TimeSpan timeout, string what, CancellationToken ct)
    {
        try
        {
            return await request.Reply!.Task.WaitAsync(timeout, _options.Time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CommandFailedException(PeerErrorCode.NoReply, $"the server did not answer {what} within {timeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
    }

    public Task NickAsync(string nickname, CancellationToken ct)
    {
        RequireSignedIn();
        return RequestAsync(new Nick(nickname), "nick", ct);
    }

    public Task AwayAsync(string? text, CancellationToken ct)
    {
        RequireSignedIn();
        var presence = string.IsNullOrEmpty(text) ? Presence.Online : Presence.Away;
        return RequestAsync(new SetPresence(presence, text ?? ""), "away", ct);
    }

    public async Task SendTextAsync(string target, string text, CancellationToken ct)
    {
        RequireSignedIn();
        var data = Encoding.UTF8.GetBytes(text);
        if (data.Length > MaxMessageBytes)
            throw new CommandFailedException(PeerErrorCode.BadArguments, $"a message is at most {MaxMessageBytes} bytes; this one is {data.Length}");
        var to = await ResolveAsync(target, ct).ConfigureAwait(false);
        var requestId = _pending.AddMessage(Directory.NameOf(to));
        await SendAsync(new MsgSend(to, data, requestId, MessageFlags.None), ct).ConfigureAwait(false);
    }

    public Task CreateChannelAsync(string channel, bool inviteOnly, CancellationToken ct)
    {
        RequireSignedIn();
        var name = channel.TrimStart('#');
        return RequestAsync(new Create(name, inviteOnly ? ChannelFlags.InviteOnly : ChannelFlags.None, ""), "create", ct, name);
    }

    public Task JoinAsync(string channel, CancellationToken ct) =>
        ChannelRequestAsync(channel, "join", tag => new CoJoin(tag), ct);

    public async Task InviteAsync(string username, string channel, CancellationToken ct)
    {
        RequireSignedIn();
        var ch = await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        await RequestAsync(new InvSend(ch, user), "invite", ct).ConfigureAwait(false);
    }

    public Task LeaveAsync(string channel, CancellationToken ct) =>
        ChannelRequestAsync(channel, "leave", tag => new Leave(tag), ct);

    public Task TopicAsync(string channel, string topic, CancellationToken ct) =>
        ChannelRequestAsync(channel, "topic", tag => new Topic(tag, topic), ct);

    public Task WhoAsync(string channel, CancellationToken ct) =>
        ChannelRequestAsync(channel, "who", tag => new UpdRequest(tag), ct, byTag: true);

    public async Task WhoisAsync(string username, CancellationToken ct)
    {
        RequireSignedIn();
        if (Directory.FindUser(username) is { } u)
        {
            _events.Publish(new UserEvent(u.Tag.Value, u.Username, u.Nickname, u.Presence, u.AwayText, u.IsFriend, u.IsAdmin));
            return;
        }
        await ResolveUserAsync(username, ct).ConfigureAwait(false); // the server's ADD becomes a user event
    }

    public Task FriendAsync(FriendAction action, string username, CancellationToken ct) =>
        UserRequestAsync(username, "friend", user => new Friend(action, user), ct);

    public Task FriendsAsync(CancellationToken ct)
    {
        RequireSignedIn();
        return RequestAsync(new UpdRequest(_session.Me), "friends", ct, _session.Me.ToString());
    }

    public Task IgnoreAsync(string username, bool on, CancellationToken ct) =>
        UserRequestAsync(username, on ? "ignore" : "unignore", user => new Ignore(user, on), ct);

    public Task BuzzAsync(string username, CancellationToken ct) =>
        UserRequestAsync(username, "buzz", user => new Buzz(user), ct);

    public async Task KickAsync(string username, string? channel, CancellationToken ct)
    {
        RequireSignedIn();
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        var ch = channel is null ? Tag.None : await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        await RequestAsync(new Kick(user, ch), "kick", ct).ConfigureAwait(false);
    }

    public Task BanAsync(string username, uint minutes, CancellationToken ct) =>
        UserRequestAsync(username, "ban", user => new Ban(user, minutes), ct);

    public async Task QuitAsync(CancellationToken ct)
    {
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

    /// <summary>A request about one user: signed in, resolve the name, send.</summary>
    private async Task UserRequestAsync(string username, string command, Func<Tag, Frame> frame, CancellationToken ct)
    {
        RequireSignedIn();
        var user = await ResolveUserAsync(username, ct).ConfigureAwait(false);
        await RequestAsync(frame(user), command, ct).ConfigureAwait(false);
    }

    /// <summary>A request about one channel; its success frame is matched by the channel's name (or tag, for UPD).</summary>
    private async Task ChannelRequestAsync(string channel, string command, Func<Tag, Frame> frame, CancellationToken ct, bool byTag = false)
    {
        RequireSignedIn();
        var tag = await ResolveChannelAsync(channel, ct).ConfigureAwait(false);
        await RequestAsync(frame(tag), command, ct, byTag ? tag.ToString() : channel.TrimStart('#')).ConfigureAwait(false);
    }

    private Task<Tag> ResolveUserAsync(string username, CancellationToken ct) => username.StartsWith('#')
        ? throw new CommandFailedException(PeerErrorCode.BadArguments, $"{username} is a channel; a user was expected")
        : ResolveAsync(username, ct);

    private Task<Tag> ResolveChannelAsync(string channel, CancellationToken ct) =>
        ResolveAsync("#" + channel.TrimStart('#'), ct);

    /// <summary>The tag of a username or "#channel": from the directory, else by RESOLVE (answered by ADD or STATUS).</summary>
    private async Task<Tag> ResolveAsync(string name, CancellationToken ct)
    {
        var isChannel = name.StartsWith('#');
        var known = isChannel ? Directory.FindChannel(name)?.Tag : Directory.FindUser(name)?.Tag;
        if (known is { } tag) return tag;

        var request = _pending.Add(Opcode.Resolve, "resolve", name, wantsReply: true, silent: true);
        await SendAsync(new Resolve(name), ct).ConfigureAwait(false);
        var reply = await AwaitAnswerAsync(request, _options.ReplyTimeout, $"RESOLVE {name}", ct).ConfigureAwait(false)
            ?? throw new CommandFailedException(PeerErrorCode.NotConnected, "the connection to the server was lost");
        return reply switch
        {
            AddUser u => u.Tag,
            AddChannel c => c.Tag,
            Status s => throw new CommandFailedException((int)s.Code, isChannel ? $"no channel {name}" : $"no user {name}"),
            _ => throw new CommandFailedException(PeerErrorCode.ProtocolError, $"unexpected answer to RESOLVE {name}: {reply.Opcode}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_link is { } link)
        {
            await link.Stop.CancelAsync().ConfigureAwait(false);
            await link.Closed.Task.ConfigureAwait(false);
        }
        _connectLock.Dispose();
    }
}
