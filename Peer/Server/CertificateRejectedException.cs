// Thrown when the server presents a certificate the pin does not allow; the message names both fingerprints.
namespace P2PChat.Peer.Server;

public sealed class CertificateRejectedException(string presented, string message) : Exception(message)
{
    public string Presented { get; } = presented;
}
