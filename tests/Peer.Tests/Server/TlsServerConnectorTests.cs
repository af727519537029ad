// Tests certificate pinning over real TLS 1.3 on loopback, against a tiny in-test server with two self-signed certificates.
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using P2PChat.Core.Framing;
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class TlsServerConnectorTests : IDisposable
{
    private readonly X509Certificate2 _first = SelfSigned("first");
    private readonly X509Certificate2 _second = SelfSigned("second");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Accepts one TLS connection with <paramref name="certificate"/>, echoes one byte, and connects the client to it.</summary>
    private static async Task<ServerLink> ConnectToServerWith(X509Certificate2 certificate, ServerPin pin)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var tcp = await listener.AcceptTcpClientAsync(Ct);
            await using var tls = new SslStream(tcp.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = SslProtocols.Tls13,
                }, Ct);
                var one = new byte[1];
                if (await tls.ReadAsync(one, Ct) == 1) await tls.WriteAsync(one, Ct);
            }
            catch (Exception e) when (e is AuthenticationException or IOException) { /* the client refused us */ }
        }, Ct);
        try
        {
            var link = await new TlsServerConnector().ConnectAsync(new ServerAddress("127.0.0.1", port), pin, Ct);
            await link.Stream.WriteAsync(new byte[] { 42 }, Ct);
            var echo = new byte[1];
            await link.Stream.ReadExactlyAsync(echo, Ct);
            Assert.Equal(42, echo[0]);
            return link;
        }
        finally
        {
            await serve.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }

    [Fact]
    public async Task First_use_trusts_and_reports_the_fingerprint_to_pin()
    {
        var link = await ConnectToServerWith(_first, new ServerPin(null, null));
        await link.Stream.DisposeAsync();
        Assert.Equal(PinOutcome.FirstUse, link.Pin);
        Assert.Equal(CertificateFingerprint.Of(_first), link.Fingerprint);
    }

    [Fact]
    public async Task The_pinned_certificate_is_accepted()
    {
        var link = await ConnectToServerWith(_first, new ServerPin(CertificateFingerprint.Of(_first), null));
        await link.Stream.DisposeAsync();
        Assert.Equal(PinOutcome.Matched, link.Pin);
    }

    [Fact]
    public async Task A_changed_certificate_is_refused_with_both_fingerprints()
    {
        var pinned = CertificateFingerprint.Of(_first);
        var presented = CertificateFingerprint.Of(_second);
        var e = await Assert.ThrowsAsync<CertificateRejectedException>(() => ConnectToServerWith(_second, new ServerPin(pinned, null)));
        Assert.Equal(presented, e.Presented);
        Assert.Contains(pinned, e.Message);
        Assert.Contains("--server-fingerprint " + presented, e.Message);
    }

    [Fact]
    public async Task A_given_fingerprint_accepts_the_new_certificate_and_replaces_the_pin()
    {
        var presented = CertificateFingerprint.Of(_second);
        var link = await ConnectToServerWith(_second, new ServerPin(CertificateFingerprint.Of(_first), presented.Replace(":", "").ToLowerInvariant()));
        await link.Stream.DisposeAsync();
        Assert.Equal(PinOutcome.Replaced, link.Pin);
        Assert.Equal(presented, link.Fingerprint);
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
