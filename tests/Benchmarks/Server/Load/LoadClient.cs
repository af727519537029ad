// What the load phases need from a client of either server: connect, register, sign in, send a private message, keep alive.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace P2PChat.Benchmarks.Server.Load;

/// <summary>One simulated user over its own TLS connection. Implementations: <see cref="OursClient"/>, <see cref="IrcClient"/>.</summary>
internal abstract class LoadClient : IAsyncDisposable
{
    protected LoadClient(int index) => Index = index;

    public int Index { get; }
    public string Name => $"u{Index:D6}";

    /// <summary>Called with the sender's index and the Stopwatch timestamp it put in the message.</summary>
    public Action<int, long>? OnMessage { get; set; }
    /// <summary>Set when the server closed the connection; <see cref="ClosedWith"/> says with which STATUS, if any.</summary>
    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public int? ClosedWith { get; protected set; }
    /// <summary>The value of the closing STATUS (for STATUS 33: 0 = dead-connection timeout, else the sign-in deadline in seconds).</summary>
    public uint ClosedValue { get; protected set; }

    /// <summary>Where the connection got to: "tcp", "tls", "hello", "signin", "done" (for the storm's breakdown).</summary>
    public string Phase { get; set; } = "new";
    /// <summary>How long TCP connect and the TLS handshake took (client side).</summary>
    public TimeSpan TcpTime { get; private set; }
    public TimeSpan TlsTime { get; private set; }

    public abstract Task ConnectAsync(IPEndPoint server, CancellationToken ct);
    /// <summary>Registers (IRC: connection registration); true when the server said yes.</summary>
    public abstract Task<bool> RegisterAsync(CancellationToken ct);
    public abstract Task<bool> SignInAsync(CancellationToken ct);
    public abstract Task SendPmAsync(LoadClient to, long sentAt, CancellationToken ct);
    public abstract Task PingAsync(CancellationToken ct);
    public abstract ValueTask DisposeAsync();

    /// <summary>TCP (from 127.0.0.2–201, spreading ephemeral ports) and TLS accepting the server's self-signed certificate.</summary>
    protected async Task<(Socket Socket, SslStream Tls)> OpenTlsAsync(IPEndPoint server, int index, CancellationToken ct)
    {
        Phase = "tcp";
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.0.{2 + index % 200}"), 0));
            await socket.ConnectAsync(server, ct);
            TcpTime = System.Diagnostics.Stopwatch.GetElapsedTime(t0);
            Phase = "tls";
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
            }, ct);
            TlsTime = System.Diagnostics.Stopwatch.GetElapsedTime(t0) - TcpTime;
            Phase = "hello";
            return (socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
