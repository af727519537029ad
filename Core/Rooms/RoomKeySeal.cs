// Seals a member's sender key to one other member so the host that relays it cannot read it.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Sealed layout: <c>ephemeral X25519 public key (32) | AES-256-GCM ciphertext of the SenderKeyDistribution (73) + tag (16) | signature (64)</c>.
/// key ‖ nonce = HKDF-SHA256(ikm = X25519(ephemeral, recipient's identity agreement key), salt = 32 × 0,
/// info = "P2PChat room key seal v1" | room id u64 | from u32 | to u32, L = 44); associated data = the same info.
/// signature = Ed25519 by the sender's identity over info | ephemeral key | ciphertext: the recipient knows which
/// member's key it is; the host, which relays it, learns neither key nor chain.
/// </summary>
public static class RoomKeySeal
{
    private static readonly byte[] Label = "P2PChat room key seal v1"u8.ToArray();

    public static byte[] Seal(RoomId room, Tag from, IdentityKeyPair sender, Tag to, IdentityPublicKey recipient, SenderKeyDistribution distribution)
    {
        var info = Info(room, from, to);
        using var ephemeral = AgreementKeyPair.Generate(SystemKeySource.Instance);
        var material = Kdf.Hkdf(ephemeral.Agree(recipient.AgreementKey), new byte[32], info, Aead.KeyLength + Aead.NonceLength);
        try
        {
            var ciphertext = Aead.Seal(material.AsSpan(0, Aead.KeyLength), material.AsSpan(Aead.KeyLength), distribution.Encode(), info);
            byte[] body = [.. ephemeral.PublicKey.Span, .. ciphertext];
            return [.. body, .. sender.Sign([.. info, .. body])];
        }
        finally { CryptographicOperations.ZeroMemory(material); }
    }

    public static SenderKeyDistribution Open(RoomId room, Tag from, IdentityPublicKey sender, Tag to, IdentityKeyPair recipient, ReadOnlySpan<byte> sealedKey)
    {
        if (sealedKey.Length < 32 + Aead.TagLength + 64) throw new RoomProtocolException("sealed sender key too short");
        var info = Info(room, from, to);
        var body = sealedKey[..^64];
        if (!sender.Verify([.. info, .. body], sealedKey[^64..])) throw new RoomProtocolException("sealed sender key not signed by its member");
        try
        {
            var material = Kdf.Hkdf(recipient.Agreement.Agree(body[..32]), new byte[32], info, Aead.KeyLength + Aead.NonceLength);
            try { return SenderKeyDistribution.Decode(Aead.Open(material.AsSpan(0, Aead.KeyLength), material.AsSpan(Aead.KeyLength), body[32..], info)); }
            finally { CryptographicOperations.ZeroMemory(material); }
        }
        catch (Exception e) when (e is CryptoProtocolException or MalformedInputException or CryptographicException)
        {
            throw new RoomProtocolException($"sealed sender key does not open: {e.Message}");
        }
    }

    private static byte[] Info(RoomId room, Tag from, Tag to) =>
        new ByteWriter(48).Bytes(Label).UInt64(room.Value).UInt32(from.Value).UInt32(to.Value).ToArray();
}
