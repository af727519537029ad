// The public half of a signed prekey as the server stores and hands it out (133 bytes), with its signature check.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>
/// Byte layout (133 bytes): <code>id u32 BE (4) | public key (65) | signature (64)</code>
/// The signature is ECDSA P-256/SHA-256 by the owner's identity signing key over
/// <code>"P2PChat signed prekey v1" (ASCII, 24) | id u32 BE (4) | public key (65)</code>
/// </summary>
public sealed record SignedPrekeyPublic(uint Id, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Signature)
{
    public const int EncodedLength = 4 + P256.PublicKeyLength + P256.SignatureLength;

    internal static byte[] SignedData(uint id, ReadOnlySpan<byte> publicKey) =>
        new ByteWriter(128).Bytes(ProtocolLabels.SignedPrekeySignature).UInt32(id).Bytes(publicKey).ToArray();

    public bool VerifySignature(IdentityPublicKey owner) => owner.Verify(SignedData(Id, PublicKey.Span), Signature.Span);

    public byte[] Encode() =>
        new ByteWriter(EncodedLength).UInt32(Id).Bytes(PublicKey.Span).Bytes(Signature.Span).ToArray();

    public static SignedPrekeyPublic Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new ByteReader(encoded);
        var result = Read(ref reader);
        reader.ExpectEnd("signed prekey");
        return result;
    }

    internal static SignedPrekeyPublic Read(ref ByteReader reader)
    {
        var id = reader.ReadUInt32();
        var key = reader.ReadArray(P256.PublicKeyLength);
        var signature = reader.ReadArray(P256.SignatureLength);
        P256.ValidatePublic(key);
        return new SignedPrekeyPublic(id, key, signature);
    }
}
