// A user's public identity: the fixed 131-byte encoding published through the server and compared for key changes.
using System.Security.Cryptography;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Identity;

/// <summary>
/// Byte layout (131 bytes):
/// <code>
/// offset 0   version          1 byte  = 0x01
/// offset 1   signing key     65 bytes  ECDSA P-256 public point, uncompressed SEC1
/// offset 66  agreement key   65 bytes  ECDH  P-256 public point, uncompressed SEC1
/// </code>
/// Two keys, one per purpose (key separation, NIST SP 800-57): the signing key signs prekeys and
/// sender-key messages, the agreement key takes part in X3DH and the link handshake. Both are
/// covered by safety numbers and by the handshake transcript, so neither can be swapped alone.
/// </summary>
public sealed class IdentityPublicKey : IEquatable<IdentityPublicKey>
{
    public const int EncodedLength = 1 + 2 * P256.PublicKeyLength;
    private const byte Version = 0x01;
    private readonly byte[] _encoded;

    private IdentityPublicKey(byte[] encoded) => _encoded = encoded;

    public ReadOnlySpan<byte> SigningKey => _encoded.AsSpan(1, P256.PublicKeyLength);
    public ReadOnlySpan<byte> AgreementKey => _encoded.AsSpan(1 + P256.PublicKeyLength, P256.PublicKeyLength);

    internal static IdentityPublicKey FromKeys(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> agreementKey)
    {
        var encoded = new byte[EncodedLength];
        encoded[0] = Version;
        signingKey.CopyTo(encoded.AsSpan(1));
        agreementKey.CopyTo(encoded.AsSpan(1 + P256.PublicKeyLength));
        return new IdentityPublicKey(encoded);
    }

    /// <summary>Parses and validates both points; throws Malformed, UnsupportedVersion or InvalidKey.</summary>
    public static IdentityPublicKey Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new ByteReader(encoded);
        reader.ExpectVersion(Version, "identity key");
        var signing = reader.ReadBytes(P256.PublicKeyLength);
        var agreement = reader.ReadBytes(P256.PublicKeyLength);
        reader.ExpectEnd("identity key");
        P256.ValidatePublic(signing);
        P256.ValidatePublic(agreement);
        return new IdentityPublicKey(encoded.ToArray());
    }

    public byte[] Encode() => (byte[])_encoded.Clone();

    internal ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Verifies an ECDSA P-256 / SHA-256 signature (IEEE P1363, 64 bytes) by the signing key.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) => P256.Verify(SigningKey, data, signature);

    public bool Equals(IdentityPublicKey? other) =>
        other is not null && CryptographicOperations.FixedTimeEquals(_encoded, other._encoded);

    public override bool Equals(object? obj) => Equals(obj as IdentityPublicKey);
    public override int GetHashCode() => BitConverter.ToInt32(_encoded, 34);
    public override string ToString() => Convert.ToHexString(_encoded, 0, 9) + "…";
}
