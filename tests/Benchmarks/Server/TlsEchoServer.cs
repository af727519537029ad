// The baseline for server benchmarks: a loopback TLS 1.3 server that answers each MSG with a MSG_ACK and nothing else.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Benchmarks.Server;

/// <summary>Same sockets, TLS and framing as the real server, none of its logic: what a round trip costs at the floor.</summary>
internal sealed class TlsEchoServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TlsEchoServer()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=p2pchat-bench", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
        _listener.Start();
        _accepting = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try { tcp = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            tcp.NoDelay = true;
            _ = EchoAsync(tcp);
        }
    }

    private async Task EchoAsync(TcpClient tcp)
    {
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            EnabledSslProtocols = SslProtocols.Tls13,
        }, _stop.Token);
        await using var connection = new FrameConnection(tls, FrameDirection.ToServer);
        try
        {
            while (await connection.ReadAsync(_stop.Token) is { } frame)
                if (frame is MsgSend m) await connection.SendAsync(new MsgAck(m.RequestId, 1, 0, MessageFlags.None), _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _certificate.Dispose();
    }
}
