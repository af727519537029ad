// Opens the link to the rendezvous server: TCP through an injectable opener, then TLS 1.3 with certificate pinning.
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using P2PChat.Core.Framing;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>
/// TCP + TLS 1.3. The certificate is never checked against certificate authorities: the server's certificate is
/// self-signed, and trust comes from the pin alone (<see cref="ServerPin"/>).
/// </summary>
public sealed class TlsServerConnector(Func<ServerAddress, CancellationToken, ValueTask<Stream>>? openTcp = null) : IServerConnector
{
    private readonly Func<ServerAddress, CancellationToken, ValueTask<Stream>> _openTcp = openTcp ?? OpenTcpAsync;

    public async ValueTask<ServerLink> ConnectAsync(ServerAddress address, ServerPin pin, CancellationToken ct)
    {
        var tcp = await _openTcp(address, ct).ConfigureAwait(false);
        string? presented = null;
        var outcome = PinOutcome.Refused;
        var tls = new SslStream(tcp, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = address.Host,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null) return false;
                presented = CertificateFingerprint.Of(certificate);
                outcome = pin.Check(presented);
                return outcome != PinOutcome.Refused;
            },
        };
        try
        {
            await tls.AuthenticateAsClientAsync(options, ct).ConfigureAwait(false);
        }
        catch (AuthenticationException) when (presented is not null && outcome == PinOutcome.Refused)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new CertificateRejectedException(presented, pin.RefusalMessage(presented));
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new ServerLink(tls, presented!, outcome);
    }

    private static async ValueTask<Stream> OpenTcpAsync(ServerAddress address, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, ct).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
