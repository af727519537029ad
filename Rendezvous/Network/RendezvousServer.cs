// The server itself, startable in-process: TLS listener, accept loop, per-connection sessions and shutdown.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Rendezvous.Commands;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Security;
using P2PChat.Rendezvous.Sessions;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Tls;

namespace P2PChat.Rendezvous.Network;

/// <summary>
/// Accepts TCP connections, runs the TLS 1.3 handshake with the data folder's certificate and hands each
/// connection to a <see cref="Session"/>. A connection over the unauthenticated caps is closed before TLS
/// (<see cref="ConnectionAdmission"/>); one not signed in within the sign-in deadline is closed with STATUS 33.
/// <see cref="StopAsync"/>: stop accepting, send STATUS 27 to every session after what is queued, wait for them to
/// flush and close (a few seconds at most), then abandon what is left. The store is owned by the caller.
/// </summary>
public sealed class RendezvousServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for sessions to flush and close before abandoning them.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>How soon the sign-in deadline looks again when it falls while the server holds the sign-in up.</summary>
    private static readonly TimeSpan SignInDeadlineRecheck = TimeSpan.FromSeconds(1);

    private readonly RendezvousOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ServerContext _context;
    private readonly CommandDispatcher _dispatcher;
    private readonly SessionSettings _sessionSettings;
    private readonly ConcurrentDictionary<Session, Task> _sessions = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly SemaphoreSlim _handshakeSlots;
    private int _handshakesWaiting;
    private TcpListener? _listener;
    private X509Certificate2? _certificate;
    private SslStreamCertificateContext? _certificateContext;
    private ServerTlsContext? _records;
    private IdleCipherSweeper? _cipherSweeper;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextSessionId;
    private int _stopping;

    public RendezvousServer(RendezvousOptions options, IRendezvousStore store, TimeProvider time, ILoggerFactory? loggers = null)
    {
        _options = options;
        _time = time;
        _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("P2PChat.Rendezvous");
        _context = new ServerContext(store, options, time, _log);
        _dispatcher = new CommandDispatcher(_context);
        _handshakeSlots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentHandshakes));
        _sessionSettings = new SessionSettings(options.MaxFrameSize, options.SendQueueCapacity, TimeSpan.FromSeconds(options.HeartbeatTimeoutSeconds),
            options.RosterDeltaDelayMs > 0 ? new DeltaFlusher(time, TimeSpan.FromMilliseconds(options.RosterDeltaDelayMs)) : null);
    }

    /// <summary>The bound endpoint (the real port when the options asked for port 0).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("not started")).LocalEndpoint;

    /// <summary>SHA-256 fingerprint of the TLS certificate, as <see cref="CertificateFingerprint"/> prints it.</summary>
    public string Fingerprint => CertificateFingerprint.Of(_certificate ?? throw new InvalidOperationException("not started"));

    /// <summary>Signed-in sessions (for tests and diagnostics).</summary>
    internal ISessionDirectory Hub => _context.Sessions;

    /// <summary>Connection slots (for tests and diagnostics).</summary>
    internal ConnectionAdmission Admission => _context.Admission;

    /// <summary>The queue that admits password hashes (tests hold its slots to fill it deterministically).</summary>
    internal SignInAdmission HashQueue => _context.HashQueue;

    /// <summary>TLS handshakes running now (for tests and diagnostics).</summary>
    internal int HandshakesRunning => Math.Max(1, _options.MaxConcurrentHandshakes) - _handshakeSlots.CurrentCount;

    /// <summary>Connections whose ClientHello has arrived, waiting for a handshake slot (for tests and diagnostics).</summary>
    internal int HandshakesWaiting => Volatile.Read(ref _handshakesWaiting);

    /// <summary>Called with each connection's server-side TLS stream once its handshake is done (tests look at its OpenSSL state
    /// with the SslStream engine, at its record layer with ours).</summary>
    internal Action<Stream>? TlsAccepted { get; set; }

    /// <summary>Makes the Records engine's OpenSSL context (tests replace it to play a machine without a usable libssl).</summary>
    internal Func<X509Certificate2, ServerTlsContext> TlsContextFactory { get; set; } = ServerTlsContext.Create;

    /// <summary>The TLS engine connections get (<see cref="TlsEngine.SslStream"/> also when ours was asked for but cannot run).</summary>
    public TlsEngine Engine => _records is null ? TlsEngine.SslStream : TlsEngine.Records;

    /// <summary>Connection and sign-in counters (logged when the server stops).</summary>
    public ServerCounters Counters => _context.Counters;

    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _certificate = ServerCertificate.LoadOrCreate(_options.DataDirectory, _time);
        _certificateContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true);
        if (_options.TlsEngine == TlsEngine.Records)
        {
            try
            {
                _records = TlsContextFactory(_certificate);
                if (_options.TlsCipherSweepSeconds > 0)
                    _cipherSweeper = new IdleCipherSweeper(_time, TimeSpan.FromSeconds(_options.TlsCipherSweepSeconds));
            }
            catch (TlsUnavailableException ex)
            {
                _log.LogWarning("TLS engine Records unavailable, using SslStream (TlsEngine): {Reason}", ex.Message);
            }
        }
        _listener = new TcpListener(ListenEndpoint.Parse(_options.Listen));
        _listener.Start(backlog: Math.Max(16, _options.ListenBacklog));
        _log.LogInformation("fingerprint SHA256 {Fingerprint}", Fingerprint);
        _log.LogInformation("listening on {Endpoint}", Endpoint);
        _acceptLoop = AcceptLoopAsync(_listener);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0 || _listener is null) return;
        _log.LogInformation("stopping: closing {Count} sessions", _sessions.Count);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var s in _sessions.Keys) s.CloseWith(StatusCode.ServerShuttingDown, 0, "the server is shutting down");
        try { await Task.WhenAll(_sessions.Values).WaitAsync(StopGrace, TimeProvider.System, ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException) { _log.LogWarning("some sessions did not close in time"); }
        _abort.Cancel();
        try { await Task.WhenAll(_sessions.Values).WaitAsync(TimeSpan.FromSeconds(2), TimeProvider.System, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { /* abandoned */ }
        foreach (var (name, value) in _context.Counters.Report()) _log.LogInformation("counter {Name} {Value}", name, value);
        if (_context.Store is SqliteRendezvousStore sqlite)
            foreach (var (name, value) in sqlite.Writes.Report())
                _log.LogInformation("counter {Name} {Value}", name, value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
        _cipherSweeper?.Dispose();
        _records?.Dispose();
        _certificate?.Dispose();
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try { socket = await listener.AcceptSocketAsync(_abort.Token).ConfigureAwait(false); }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException or InvalidOperationException)
            {
                if (Volatile.Read(ref _stopping) != 0) return;
                _log.LogWarning(ex, "accept failed");
                continue;
            }
            _ = ServeAsync(socket);
        }
    }

    /// <summary>
    /// The TLS handshake of one admitted connection: first its ClientHello must arrive (a connection that sends nothing
    /// never takes a handshake slot), then it waits for one of the handshake slots in arrival order, then the handshake
    /// runs within the handshake timeout. Returns the stream the session reads and writes; throws when it failed (the
    /// caller closes the socket).
    /// </summary>
    private async Task<Stream> HandshakeAsync(Socket socket)
    {
        // 1. The ClientHello has arrived.
        using (var firstBytes = new CancellationTokenSource(TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds), _time))
        using (var linkedFirst = CancellationTokenSource.CreateLinkedTokenSource(firstBytes.Token, _abort.Token))
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, linkedFirst.Token).ConfigureAwait(false);
        // With inline socket completions this continues on a socket event thread, which serves every connection of
        // that thread: the handshake's key exchange and signature (about a millisecond of CPU) run on the pool instead
        // (on a pool thread, the default, the hop costs nothing).
        await new ThreadPoolHop();
        // 2. A handshake slot, in arrival order.
        Interlocked.Increment(ref _handshakesWaiting);
        try { await _handshakeSlots.WaitAsync(_abort.Token).ConfigureAwait(false); }
        finally { Interlocked.Decrement(ref _handshakesWaiting); }
        // 3. The handshake itself, within the handshake timeout.
        try
        {
            using var handshake = new CancellationTokenSource(TimeSpan.FromSeconds(_options.HandshakeTimeoutSeconds), _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(handshake.Token, _abort.Token);
            Stream stream = _records is { } records
                ? await TlsServerHandshake.AcceptAsync(records, socket, linked.Token, _cipherSweeper).ConfigureAwait(false)
                : await SslStreamHandshakeAsync(socket, linked.Token).ConfigureAwait(false);
            TlsAccepted?.Invoke(stream);
            return stream;
        }
        finally { _handshakeSlots.Release(); }
    }

    /// <summary>The <see cref="TlsEngine.SslStream"/> engine: .NET's SslStream for the handshake and everything after.</summary>
    private async Task<Stream> SslStreamHandshakeAsync(Socket socket, CancellationToken ct)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificateContext,
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateRequired = false,
            }, ct).ConfigureAwait(false);
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        // Before the stream is used again: from now on an idle connection holds no TLS record buffers.
        if (_options.ReleaseTlsBuffers)
            OpenSslBufferRelease.TryApply(tls, why => _log.LogWarning("TLS record buffers stay allocated on idle connections (ReleaseTlsBuffers): {Reason}", why));
        return tls;
    }

    /// <summary>One connection from admission (before TLS) to close.</summary>
    private async Task ServeAsync(Socket socket)
    {
        var accepted = _time.GetTimestamp();
        var address = ((IPEndPoint)socket.RemoteEndPoint!).Address;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_context.Admission.TryAdmit(address) is not { } slot)
        {
            // Over the unauthenticated cap: refused before any TLS work (a reset, not a handshake).
            _log.LogDebug("refused a connection from {Address}: too many not signed in", address);
            _context.Counters.RefusedBeforeTls();
            try { socket.LingerState = new LingerOption(true, 0); }
            catch (SocketException) { }
            socket.Dispose();
            return;
        }
        socket.NoDelay = true;
        Stream tls;
        try { tls = await HandshakeAsync(socket).ConfigureAwait(false); }
        catch (Exception ex)
        {
            // No STATUS is possible here: the protocol only starts once TLS is up.
            _log.LogDebug("TLS handshake with {Address} failed: {Message}", address, ex.Message);
            _context.Counters.HandshakeFailed();
            slot.Dispose();   // first: once the client sees the close, the slot is free again
            socket.Dispose();
            return;
        }

        _context.Counters.HandshakeDone(_time.GetElapsedTime(accepted));
        var session = new Session(Interlocked.Increment(ref _nextSessionId), socket, tls, address, _sessionSettings, _time, _log) { AcceptedAt = accepted };
        _context.Admission.Attach(session.Id, slot);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sessions[session] = done.Task;
        // Counted from the end of the handshake: the wait in the handshake queue is the server's, not the client's.
        var deadline = TimeSpan.FromSeconds(_options.SignInDeadlineSeconds);
        // Time the server itself holds a sign-in up (queued hash, slow store) is not the client's: while the session
        // awaits the server the deadline looks again a second later instead of closing.
        ITimer? deadlineTimer = null;
        deadlineTimer = _time.CreateTimer(_ =>
        {
            if (session.State is not (SessionState.AwaitHello or SessionState.Anonymous)) return;
            if (session.AwaitingServer && deadlineTimer is { } again)
            {
                try { again.Change(SignInDeadlineRecheck, Timeout.InfiniteTimeSpan); }
                catch (ObjectDisposedException) { }
                return;
            }
            session.Close(Session.Status(StatusCode.Timeout, (uint)_options.SignInDeadlineSeconds,
                $"not signed in within {_options.SignInDeadlineSeconds} s"), "signin_deadline");
        }, null, deadline, Timeout.InfiniteTimeSpan);
        await using var signInDeadline = deadlineTimer;
        try
        {
            if (Volatile.Read(ref _stopping) != 0) session.CloseWith(StatusCode.ServerShuttingDown, 0, "the server is shutting down");
            await session.RunAsync(_dispatcher.HandleAsync, _dispatcher.EndedAsync, _abort.Token).ConfigureAwait(false);
        }
        catch (Exception ex) { _log.LogError(ex, "session {Id} crashed", session.Id); }
        finally
        {
            var (closedIn, reason) = session.ClosedAs;
            _context.Counters.Closed(closedIn, reason);
            _context.Admission.Release(session.Id);
            _sessions.TryRemove(session, out _);
            done.TrySetResult();
        }
    }
}
