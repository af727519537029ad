// How the client gets a byte stream to the server: the seam where tests put in-memory or plain-TCP links.
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Server;

/// <summary>An open, authenticated byte stream to the server and what its certificate was.</summary>
public sealed record ServerLink(Stream Stream, string Fingerprint, PinOutcome Pin);

/// <summary>Makes <see cref="ServerLink"/>s; tests substitute in-memory links.</summary>
public interface IServerConnector
{
    /// <exception cref="CertificateRejectedException">the server's certificate is not allowed by <paramref name="pin"/>.</exception>
    ValueTask<ServerLink> ConnectAsync(ServerAddress address, ServerPin pin, CancellationToken ct);
}
