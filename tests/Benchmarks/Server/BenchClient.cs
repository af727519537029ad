// A minimal client for the server benchmarks: TLS to a loopback server, HELLO, register, sign in, read until a frame.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Benchmarks.Server;

internal static class BenchClient
{
    /// <summary>TLS 1.3 to <paramref name="server"/> accepting any certificate (the benchmark's own), then HELLO.</summary>
    public static async Task<FrameConnection> ConnectAsync(IPEndPoint server, bool hello = true)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "p2pchat-bench",
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        var connection = new FrameConnection(tls, FrameDirection.ToClient);
        if (hello)
        {
            await connection.SendAsync(new Hello(ProtocolVersion.Min, ProtocolVersion.Max, "bench"), default);
            await UntilAsync<HelloOk>(connection);
        }
        return connection;
    }

    /// <summary>Registers <paramref name="user"/> and signs in; returns once the sign-in burst is over.</summary>
    public static async Task<FrameConnection> SignedInAsync(IPEndPoint server, string user)
    {
        var connection = await ConnectAsync(server);
        await connection.SendAsync(new Register(user, "benchmark-password"), default);
        await UntilAsync<Status>(connection, s => s.Code == StatusCode.Registered);
        await connection.SendAsync(new Iam(user, "benchmark-password"), default);
        await UntilAsync<Status>(connection, s => s.Code == StatusCode.AuthOk);
        return connection;
    }

    public static async Task<T> UntilAsync<T>(FrameConnection connection, Func<T, bool>? match = null) where T : Frame
    {
        while (true)
        {
            var frame = await connection.ReadAsync(default) ?? throw new IOException("the server closed the connection");
            if (frame is T t && (match is null || match(t))) return t;
            if (frame is Status { Code: var code } status && StatusCodes.ClosesConnection(code))
                throw new IOException($"the server closed the connection: {status.Text}");
        }
    }
}
