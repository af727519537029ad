// A loopback echo server on the record layer (OpenSSL handshake, then TlsRecordStream) for the Tls tests.
using System.Threading.Channels;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using P2PChat.Rendezvous.Security;
using P2PChat.Rendezvous.Tls;
using TlsCipherSuite = P2PChat.Rendezvous.Tls.TlsCipherSuite;
using P2PChat.TestSupport;

namespace P2PChat.Rendezvous.Tests.Tls;

/// <summary>Accepts connections on 127.0.0.1, runs <see cref="TlsServerHandshake"/> on each and hands the stream to
/// <see cref="Serve"/> (by default: echo until the client ends). Streams and failures are collected for assertions.</summary>
internal sealed class TlsEchoServer : IAsyncDisposable
{
    private readonly TempDirectory _folder = new("p2pchat-tls");
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private readonly ServerTlsContext _context;

    private readonly IdleCipherSweeper? _sweeper;

    public TlsEchoServer(Func<TlsRecordStream, CancellationToken, Task>? serve = null, IdleCipherSweeper? sweeper = null)
    {
        Serve = serve ?? EchoAsync;
        _sweeper = sweeper;
        using var certificate = ServerCertificate.LoadOrCreate(_folder.Path, TimeProvider.System);
        _context = ServerTlsContext.Create(certificate);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        _accepting = AcceptAsync();
    }

    public Func<TlsRecordStream, CancellationToken, Task> Serve { get; }
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;
    private readonly Channel<object> _handshakes = Channel.CreateUnbounded<object>();
    private readonly Channel<object> _ends = Channel.CreateUnbounded<object>();

    /// <summary>A .NET client with the fingerprint check off (the tests are about the record layer), optionally one suite only.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<(TcpClient Tcp, SslStream Tls)> ConnectAsync(TlsCipherSuite? suite = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(Endpoint, TestClient.Ct);
        var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "p2pchat-rendezvous",
            EnabledSslProtocols = SslProtocols.Tls13,
            CipherSuitesPolicy = suite is { } s ? new CipherSuitesPolicy([s switch
            {
                TlsCipherSuite.Aes128GcmSha256 => System.Net.Security.TlsCipherSuite.TLS_AES_128_GCM_SHA256,
                TlsCipherSuite.Aes256GcmSha384 => System.Net.Security.TlsCipherSuite.TLS_AES_256_GCM_SHA384,
                _ => System.Net.Security.TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            }]) : null,
        }, TestClient.Ct);
        return (tcp, tls);
    }

    /// <summary>The server side of the next connection (waits for its handshake).</summary>
    public async Task<TlsRecordStream> NextStreamAsync()
    {
        var next = await _handshakes.Reader.ReadAsync(TestClient.Ct);
        return next as TlsRecordStream ?? throw new InvalidOperationException("the server's handshake failed", (Exception)next);
    }

    /// <summary>How the next connection's serving ended after its handshake: null when cleanly, else the error.</summary>
    public async Task<Exception?> NextEndAsync()
    {
        var end = await _ends.Reader.ReadAsync(TestClient.Ct);
        return end as Exception;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptAsync(_stop.Token); }
            catch (Exception) { return; }
            lock (_connections) _connections.Add(RunAsync(socket));
        }
    }

    private async Task RunAsync(Socket socket)
    {
        using (socket)
        {
            TlsRecordStream stream;
            try
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                handshake.CancelAfter(TimeSpan.FromSeconds(30));
                stream = await TlsServerHandshake.AcceptAsync(_context, socket, handshake.Token, _sweeper);
            }
            catch (Exception ex)
            {
                _handshakes.Writer.TryWrite(ex);
                return;
            }
            _handshakes.Writer.TryWrite(stream);
            await using (stream)
            {
                try
                {
                    await Serve(stream, _stop.Token);
                    _ends.Writer.TryWrite(new object());
                }
                catch (Exception ex) { _ends.Writer.TryWrite(ex); }
            }
        }
    }

    private static async Task EchoAsync(TlsRecordStream stream, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) await stream.WriteAsync(buffer.AsMemory(0, n), ct);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        Task[] all;
        lock (_connections) all = [.. _connections];
        try { await Task.WhenAll(all).WaitAsync(TimeSpan.FromSeconds(10)); } catch (Exception) { }
        _context.Dispose();
        _folder.Dispose();
        _stop.Dispose();
    }
}
