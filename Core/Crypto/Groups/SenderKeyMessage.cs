// Codec and signature rules of one group message encrypted under a sender key.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;

namespace P2PChat.Core.Crypto.Groups;

/// <summary>
/// Byte layout:
/// <code>suite 0x02 (1) | key id u32 BE (4) | iteration u32 BE (4) | message-AEAD ciphertext | tag (16) | signature (64)</code>
/// AEAD: (key | nonce) = HKDF-SHA256(salt = 32 × 0x00, ikm = message key, info = "P2PChat sender key message v1", L = 44);
/// associated data = group id length u16 BE | group id | the 9 header bytes.
/// Signature: Ed25519 by the sender's signing key over
/// "P2PChat sender key signature v1" | group id length u16 BE | group id | every message byte before the signature.
/// The tag proves "someone holding the chain"; the signature proves which member, so members cannot forge each other.
/// </summary>
internal sealed record SenderKeyMessage(uint KeyId, uint Iteration, byte[] Ciphertext, byte[] Signature, byte[] Header, byte[] SignedBody)
{
    public const int HeaderLength = 1 + 4 + 4;

    public static byte[] EncodeHeader(uint keyId, uint iteration) => new ByteWriter(HeaderLength).Byte(CryptoSuite.Current).UInt32(keyId).UInt32(iteration).ToArray();

    public static byte[] AssociatedData(ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> header) =>
        new ByteWriter(64).UInt16(checked((ushort)groupId.Length)).Bytes(groupId).Bytes(header).ToArray();

    public static byte[] SignedData(ReadOnlySpan<byte> groupId, ReadOnlySpan<byte> body) =>
        new ByteWriter(body.Length + 64).Bytes(ProtocolLabels.SenderKeySignature).UInt16(checked((ushort)groupId.Length)).Bytes(groupId).Bytes(body).ToArray();

    public static SenderKeyMessage Decode(ReadOnlySpan<byte> message)
    {
        var reader = CryptoBytes.Reader(message);
        reader.ExpectSuite("sender key message");
        var keyId = reader.ReadUInt32();
        var iteration = reader.ReadUInt32();
        var bodyLength = reader.Remaining - SigningKeyPair.SignatureLength;
        if (bodyLength < Aead.TagLength) throw new CryptoProtocolException(CryptoFailure.Malformed, "sender key message too short");
        var ciphertext = reader.ReadArray(bodyLength);
        var signature = reader.ReadArray(SigningKeyPair.SignatureLength);
        return new SenderKeyMessage(keyId, iteration, ciphertext, signature,
            message[..HeaderLength].ToArray(), message[..^SigningKeyPair.SignatureLength].ToArray());
    }
}
