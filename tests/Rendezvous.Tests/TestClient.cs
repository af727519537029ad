// A raw protocol client for tests: TCP + TLS (pinning the test server's fingerprint) + FrameConnection, with
// helpers that wait for an expected frame under a generous safety timeout.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Rendezvous.Tests;

internal sealed class TestClient : IAsyncDisposable
{
    /// <summary>A safety net only: every wait normally ends as soon as the frame arrives.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly FrameConnection _connection;
    private uint _requestId;
    private ulong _nonce;

    private TestClient(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
        _connection = new FrameConnection(tls, FrameDirection.ToClient, 1 << 20);
    }

    /// <summary>Every frame received so far, in order (including those <see cref="ExpectAsync{T}"/> skipped).</summary>
    public List<Frame> Received { get; } = [];

    private TlsRecordCounter? _records;

    /// <summary>TLS records received from the server so far (one per server write, or more for a write over 16 KiB).</summary>
    public int TlsRecordsReceived => _records?.Records ?? 0;

    /// <summary>Sends several frames in one write (one TLS record): the server finds them all in one read.</summary>
    public Task SendTogetherAsync(IReadOnlyCollection<Frame> frames) => _connection.SendAsync(frames, Ct).AsTask();

    public Tag Tag { get; private set; }
    public string Username { get; private set; } = "";

    /// <summary>Connects and completes TLS; sends HELLO and reads the answer unless <paramref name="hello"/> is false.</summary>
    /// <param name="from">the local address to connect from (any of 127.0.0.0/8 stands for another client address).</param>
    public static async Task<TestClient> ConnectAsync(IPEndPoint server, string fingerprint, bool hello = true, IPAddress? from = null)
    {
        var tcp = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        await tcp.ConnectAsync(server, Ct);
        var records = new TlsRecordCounter(tcp.GetStream());
        var tls = new SslStream(records, false, (_, cert, _, _) => cert is not null && CertificateFingerprint.Matches(CertificateFingerprint.Of(cert), fingerprint));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "p2pchat-rendezvous",
            EnabledSslProtocols = SslProtocols.Tls13,
        }, Ct);
        var client = new TestClient(tcp, tls) { _records = records };
        if (hello)
        {
            await client.SendAsync(new Hello(1, 1, "tests"));
            await client.ExpectAsync<HelloOk>();
        }
        return client;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task SendAsync(Frame frame) => _connection.SendAsync(frame, Ct).AsTask();

    /// <summary>Writes bytes as they are (for malformed input).</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await _tls.WriteAsync(bytes, Ct);
        await _tls.FlushAsync(Ct);
    }

    /// <summary>Ends our sending side (TLS close_notify, then TCP FIN) while still reading.</summary>
    public async Task ShutdownWritesAsync()
    {
        await _tls.ShutdownAsync();
        _tcp.Client.Shutdown(SocketShutdown.Send);
    }

    private readonly Queue<Frame> _unbatched = new();

    /// <summary>Every frame as it came, batches included (<see cref="Received"/> holds batched entries one by one).</summary>
    public List<Frame> Wire { get; } = [];

    /// <summary>
    /// The next frame, whatever it is; null when the server closed the connection. ROSTER and PRESENCE_BATCH mean the
    /// same as their entries one by one (docs/protocol.md), so they are handed out as single ADD and PRESENCE frames.
    /// </summary>
    public async Task<Frame?> NextAsync()
    {
        if (_unbatched.Count > 0) return Keep(_unbatched.Dequeue());
        var frame = await NextOnWireAsync();
        if (frame is Roster roster) foreach (var card in roster.Users) _unbatched.Enqueue(card);
        else if (frame is PresenceBatch batch) foreach (var p in batch.Updates) _unbatched.Enqueue(p);
        else return frame is null ? null : Keep(frame);
        return _unbatched.Count > 0 ? Keep(_unbatched.Dequeue()) : await NextAsync();
    }

    private Frame Keep(Frame frame)
    {
        Received.Add(frame);
        return frame;
    }

    /// <summary>The next frame as it came over the wire (batches not split).</summary>
    private async Task<Frame?> NextOnWireAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience);
        Frame? frame;
        try { frame = await _connection.ReadAsync(timeout.Token); }
        catch (Exception ex) when (ex is IOException or ProtocolException) { frame = null; }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing arrived within {Patience}; received so far: {string.Join(", ", Received.TakeLast(10))}");
        }
        if (frame is not null) Wire.Add(frame);
        return frame;
    }

    /// <summary>Reads until a frame of type <typeparamref name="T"/> matching <paramref name="match"/> arrives, skipping others.</summary>
    public async Task<T> ExpectAsync<T>(Func<T, bool>? match = null) where T : Frame
    {
        while (true)
        {
            var frame = await NextAsync() ?? throw new Xunit.Sdk.XunitException(
                $"connection closed while waiting for {typeof(T).Name}; last frames: {string.Join(", ", Received.TakeLast(10))}");
            if (frame is T t && (match?.Invoke(t) ?? true)) return t;
        }
    }

    /// <summary>
    /// Until <paramref name="user"/> is known to be offline: a PRESENCE saying so, or an ADD that already carries it (the
    /// server coalesces roster changes, so a user who signed in and out within that window first appears offline).
    /// </summary>
    public Task<Frame> ExpectOfflineAsync(Tag user) =>
        ExpectAsync<Frame>(f => f is PresenceUpdate { Presence: Presence.Offline } p && p.User == user
            || f is AddUser { Presence: Presence.Offline } a && a.Tag == user);

    public Task<Status> ExpectStatusAsync(StatusCode code, Func<Status, bool>? match = null) =>
        ExpectAsync<Status>(s => s.Code == code && (match?.Invoke(s) ?? true));

    /// <summary>Reads until the server closes the connection; returns the frames that came first.</summary>
    public async Task<List<Frame>> ReadUntilClosedAsync()
    {
        var frames = new List<Frame>();
        while (await NextAsync() is { } frame) frames.Add(frame);
        return frames;
    }

    /// <summary>Expects the server to send STATUS <paramref name="code"/> and then close the connection.</summary>
    public async Task<Status> ExpectClosedWithAsync(StatusCode code)
    {
        var frames = await ReadUntilClosedAsync();
        var last = Assert.IsType<Status>(frames.LastOrDefault(), exactMatch: true);
        Assert.Equal(code, last.Code);
        return last;
    }

    /// <summary>PING and wait for its PONG: everything the server queued for us before is in <see cref="Received"/> by then.</summary>
    public async Task<List<Frame>> SyncAsync()
    {
        var nonce = ++_nonce;
        var start = Received.Count;
        await SendAsync(new Ping(nonce));
        await ExpectAsync<Pong>(p => p.Nonce == nonce);
        return Received.Skip(start).SkipLast(1).ToList();
    }

    public async Task<Status> RegisterAsync(string username, string password = "password1")
    {
        await SendAsync(new Register(username, password));
        return await ExpectAsync<Status>(s => s.RefOpcode == Opcode.Register);
    }

    /// <summary>Signs in and returns the whole burst, IAM through STATUS 2.</summary>
    public async Task<List<Frame>> SignInAsync(string username, string password = "password1")
    {
        var start = Received.Count;
        await SendAsync(new Iam(username, password));
        var ok = await ExpectAsync<IamOk>();
        await ExpectStatusAsync(StatusCode.AuthOk);
        Tag = ok.Tag;
        Username = username;
        return Received.Skip(start).ToList();
    }

    public async Task<Tag> RegisterAndSignInAsync(string username, string password = "password1")
    {
        var registered = await RegisterAsync(username, password);
        Assert.Equal(StatusCode.Registered, registered.Code);
        await SignInAsync(username, password);
        return Tag;
    }

    /// <summary>Sends a MSG and returns its MSG_ACK (or fails on a STATUS answering it).</summary>
    public async Task<MsgAck> MessageAsync(Tag to, string text, MessageFlags flags = 0)
    {
        var id = ++_requestId;
        await SendAsync(new MsgSend(to, System.Text.Encoding.UTF8.GetBytes(text), id, flags));
        var reply = await ExpectAsync<Frame>(f => f is MsgAck a && a.RequestId == id || f is Status { RefOpcode: Opcode.Msg } s && s.Value == id);
        return reply as MsgAck ?? throw new Xunit.Sdk.XunitException($"MSG refused: {reply}");
    }

    /// <summary>Sends a MSG expected to be refused; returns the STATUS.</summary>
    public async Task<Status> MessageRefusedAsync(Tag to, byte[] data)
    {
        var id = ++_requestId;
        await SendAsync(new MsgSend(to, data, id, 0));
        return await ExpectAsync<Status>(s => s.RefOpcode == Opcode.Msg && s.Value == id);
    }

    /// <summary>Creates a channel and waits for the creator's ADD, CO and UPD; returns its tag.</summary>
    public async Task<Tag> CreateChannelAsync(string name, ChannelFlags flags = ChannelFlags.None, string topic = "")
    {
        await SendAsync(new Create(name, flags, topic));
        var tag = (await ExpectAsync<AddChannel>(c => c.Name == name)).Tag;
        await ExpectAsync<Upd>(u => u.Tag == tag);
        return tag;
    }

    /// <summary>Joins a channel and waits for the CO announcing it.</summary>
    public async Task JoinAsync(Tag channel)
    {
        await SendAsync(new CoJoin(channel));
        await ExpectAsync<CoJoined>(c => c.Channel == channel && c.User == Tag);
    }

    public static string Text(MsgDeliver m) => System.Text.Encoding.UTF8.GetString(m.Data.Span);

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _tcp.Dispose();
    }
}
