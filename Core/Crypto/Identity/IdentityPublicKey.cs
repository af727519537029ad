// A user's public identity: the fixed 65-byte encoding published through the server and compared for key changes.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Byte layout (65 bytes):
/// <code>
/// offset 0   suite            1 byte  = 0x02 (CryptoSuite.Current; 0x01 = retired P-256, refused as RetiredSuite)
/// offset 1   signing key     32 bytes  Ed25519 public key
/// offset 33  agreement key   32 bytes  X25519 public key
/// </code>
/// Two keys, one per purpose (key separation): the signing key signs prekeys and sender-key messages, the agreement
/// key takes part in X3DH and is the Noise static key of the link handshake. Both are covered by safety numbers and
/// the link handshake binds both (the agreement key as Noise "s", the signing key in the encrypted payload), so
/// neither can be swapped alone.
/// </summary>
public sealed class IdentityPublicKey : IEquatable<IdentityPublicKey>
{
    public const int EncodedLength = 1 + SigningKeyPair.PublicKeyLength + AgreementKeyPair.PublicKeyLength;
    private readonly byte[] _encoded;

    private IdentityPublicKey(byte[] encoded) => _encoded = encoded;

    public ReadOnlySpan<byte> SigningKey => _encoded.AsSpan(1, SigningKeyPair.PublicKeyLength);
    public ReadOnlySpan<byte> AgreementKey => _encoded.AsSpan(1 + SigningKeyPair.PublicKeyLength, AgreementKeyPair.PublicKeyLength);

    internal static IdentityPublicKey FromKeys(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> agreementKey)
    {
        var encoded = new byte[EncodedLength];
        encoded[0] = CryptoSuite.Current;
        signingKey.CopyTo(encoded.AsSpan(1));
        agreementKey.CopyTo(encoded.AsSpan(1 + SigningKeyPair.PublicKeyLength));
        return new IdentityPublicKey(encoded);
    }

    /// <summary>Parses and validates both keys; throws Malformed, UnsupportedVersion, RetiredSuite or InvalidKey.</summary>
    public static IdentityPublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = CryptoBytes.Reader(encoded);
        reader.ExpectSuite("identity key");
        var signing = reader.ReadBytes(SigningKeyPair.PublicKeyLength);
        var agreement = reader.ReadBytes(AgreementKeyPair.PublicKeyLength);
        reader.ExpectEnd("identity key");
        SigningKeyPair.ValidatePublic(signing);
        AgreementKeyPair.ValidatePublic(agreement);
        return new IdentityPublicKey(encoded.ToArray());
    }

    public byte[] Encode() => (byte[])_encoded.Clone();

    internal ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Verifies an Ed25519 signature (64 bytes) by the signing key.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => SigningKeyPair.Verify(SigningKey, data, signature);

    public bool Equals(IdentityPublicKey? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_encoded, other._encoded);

    public override bool Equals(object? obj) => Equals(obj as IdentityPublicKey);
    public override int GetHashCode() => BitConverter.ToInt32(_encoded, 1);
    public override string ToString() => Convert.ToHexString(_encoded, 0, 9) + "…";
}
