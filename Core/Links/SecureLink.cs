// Runs the link handshake over a fresh transport connection (UDP or TCP path) and keys it: the one way a direct link becomes secure.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Links;

/// <summary>
/// The initiator opens the connection's first stream for the handshake (<see cref="LinkHandshakeDriver"/>); the
/// responder accepts it. On success every later packet (UDP) or frame (TCP path) of the connection is protected with the link keys and the
/// proven identity is returned; on failure the connection is aborted and <see cref="LinkHandshakeException"/> thrown.
/// </summary>
public static class SecureLink
{
    public static Task<IdentityPublicKey> InitiateAsync(IReliableConnection connection, IdentityKeyPair me, IdentityPublicKey expected, CancellationToken ct) =>
        RunAsync(connection, LinkHandshakeDriver.Initiator(me, expected), connection.OpenStream(), ct);

    public static async Task<IdentityPublicKey> RespondAsync(IReliableConnection connection, IdentityKeyPair me, Func<IdentityPublicKey, bool> accept, CancellationToken ct)
    {
        var stream = await connection.AcceptStreamAsync(ct).ConfigureAwait(false);
        return await RunAsync(connection, LinkHandshakeDriver.Responder(me, accept), stream, ct).ConfigureAwait(false);
    }

    private static async Task<IdentityPublicKey> RunAsync(IReliableConnection connection, LinkHandshakeDriver driver, IReliableStream stream, CancellationToken ct)
    {
        using (driver)
        {
            try
            {
                if (driver.Start() is { Length: > 0 } hello) await stream.WriteAsync(hello, ct).ConfigureAwait(false);
                var buffer = new byte[2048];
                while (!driver.IsComplete)
                {
                    int n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                    if (n == 0) throw new LinkHandshakeException("the other side closed the handshake stream");
                    var step = driver.Receive(buffer.AsSpan(0, n));
                    if (step.Prepare is { } prepare) connection.PrepareProtection(LinkProtection.For(prepare));
                    if (step.Upgrade is { } upgrade) connection.UpgradeProtection(LinkProtection.For(upgrade));
                    if (step.Send.Length > 0) await stream.WriteAsync(step.Send, ct).ConfigureAwait(false);
                }
                stream.CompleteWrites();
                return driver.RemoteIdentity!;
            }
            catch (LinkHandshakeException)
            {
                connection.Abort();
                throw;
            }
        }
    }
}
