// What a finished link handshake yields: one key per direction, the channel-binding hash and the proven remote identity.
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Identity;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// SendKey / ReceiveKey are 32-byte keys from Noise Split (the initiator sends with k1, the responder with k2).
/// HandshakeHash is the final Noise h (32 bytes): equal on both sides, unique per link, usable for channel binding.
/// Feed to the transport's packet protection (<c>Core/Links/LinkProtection</c>) to protect every packet of the link.
/// </summary>
public sealed class LinkKeys(byte[] sendKey, byte[] receiveKey, byte[] handshakeHash, IdentityPublicKey remoteIdentity, bool isInitiator) : IDisposable
{
    public ReadOnlySpan<byte> SendKey => sendKey;
    public ReadOnlySpan<byte> ReceiveKey => receiveKey;
    public ReadOnlySpan<byte> HandshakeHash => handshakeHash;
    public IdentityPublicKey RemoteIdentity { get; } = remoteIdentity;
    public bool IsInitiator { get; } = isInitiator;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(sendKey);
        CryptographicOperations.ZeroMemory(receiveKey);
    }
}
