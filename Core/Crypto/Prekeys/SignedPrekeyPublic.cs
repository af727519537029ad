// The public half of a signed prekey as the server stores and hands it out (101 bytes), with its signature check.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>
/// Byte layout (101 bytes): <code>suite 0x02 (1) | id u32 BE (4) | X25519 public key (32) | signature (64)</code>
/// The signature is Ed25519 by the owner's identity signing key over
/// <code>"P2PChat signed prekey v1" (ASCII, 24) | owner's identity (65) | suite 0x02 (1) | id u32 BE (4) | public key (32)</code>
/// Covering the whole identity binds its X25519 key to its Ed25519 key: a bundle whose identity was altered in either
/// key fails the check, not only one whose prekey was.
/// </summary>
public sealed record SignedPrekeyPublic(uint Id, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Signature)
{
    public const int EncodedLength = 1 + 4 + AgreementKeyPair.PublicKeyLength + SigningKeyPair.SignatureLength;

    internal static byte[] SignedData(IdentityPublicKey owner, uint id, ReadOnlySpan<byte> publicKey) =>
        new ByteWriter(128).Bytes(ProtocolLabels.SignedPrekeySignature).Bytes(owner.Encoded).Byte(CryptoSuite.Current).UInt32(id).Bytes(publicKey).ToArray();

    public bool VerifySignature(IdentityPublicKey owner) => owner.Verify(SignedData(owner, Id, PublicKey.Span), Signature.Span);

    public byte[] Encode() =>
        new ByteWriter(EncodedLength).Byte(CryptoSuite.Current).UInt32(Id).Bytes(PublicKey.Span).Bytes(Signature.Span).ToArray();

    public static SignedPrekeyPublic Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = CryptoBytes.Reader(encoded);
        var result = Read(ref reader);
        reader.ExpectEnd("signed prekey");
        return result;
    }

    internal static SignedPrekeyPublic Read(ref ByteReader reader)
    {
        reader.ExpectSuite("signed prekey");
        var id = reader.ReadUInt32();
        var key = reader.ReadArray(AgreementKeyPair.PublicKeyLength);
        var signature = reader.ReadArray(SigningKeyPair.SignatureLength);
        AgreementKeyPair.ValidatePublic(key);
        return new SignedPrekeyPublic(id, key, signature);
    }
}
