// P-256 key encoding and import through the BCL: uncompressed SEC1 points, 32-byte scalars, validation at the edge.
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// Encodings used everywhere in the protocol:
/// public key = 65 bytes, uncompressed SEC1 point: 0x04 | X (32, big-endian) | Y (32, big-endian);
/// private key = 32-byte big-endian scalar d; ECDH output = the 32-byte X coordinate of d·Q (no hashing);
/// ECDSA signature = 64 bytes IEEE P1363: r (32) | s (32), over SHA-256 of the signed bytes.
/// </summary>
internal static class P256
{
    public const int PublicKeyLength = 65;
    public const int PrivateKeyLength = 32;
    public const int SharedSecretLength = 32;
    public const int SignatureLength = 64;

    private static readonly ECCurve Curve = ECCurve.NamedCurves.nistP256;

    public static ECParameters PublicParameters(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength || publicKey[0] != 0x04)
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "P-256 public key must be 65 bytes starting 0x04");
        return new ECParameters
        {
            Curve = Curve,
            Q = new ECPoint { X = publicKey.Slice(1, 32).ToArray(), Y = publicKey.Slice(33, 32).ToArray() },
        };
    }

    public static ECParameters PrivateParameters(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeyLength)
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "P-256 private key must be 32 bytes");
        return new ECParameters { Curve = Curve, D = privateKey.ToArray() };
    }

    /// <summary>Imports a peer's public key for ECDH; OpenSSL rejects points not on the curve.</summary>
    public static ECDiffieHellman ImportAgreementPublic(ReadOnlySpan<byte> publicKey)
    {
        var parameters = PublicParameters(publicKey);
        return Import(() => ECDiffieHellman.Create(parameters));
    }

    public static ECDsa ImportSigningPublic(ReadOnlySpan<byte> publicKey)
    {
        var parameters = PublicParameters(publicKey);
        return Import(() => ECDsa.Create(parameters));
    }

    public static ECDiffieHellman ImportAgreementPrivate(ReadOnlySpan<byte> privateKey)
    {
        var parameters = PrivateParameters(privateKey);
        try { return Import(() => ECDiffieHellman.Create(parameters)); }
        finally { CryptographicOperations.ZeroMemory(parameters.D); }
    }

    public static ECDsa ImportSigningPrivate(ReadOnlySpan<byte> privateKey)
    {
        var parameters = PrivateParameters(privateKey);
        try { return Import(() => ECDsa.Create(parameters)); }
        finally { CryptographicOperations.ZeroMemory(parameters.D); }
    }

    public static byte[] EncodePublic(ECParameters parameters)
    {
        var encoded = new byte[PublicKeyLength];
        encoded[0] = 0x04;
        parameters.Q.X!.CopyTo(encoded, 1);
        parameters.Q.Y!.CopyTo(encoded, 33);
        return encoded;
    }

    /// <summary>Throws InvalidKey unless <paramref name="publicKey"/> is a point on P-256.</summary>
    public static void ValidatePublic(ReadOnlySpan<byte> publicKey)
    {
        using var _ = ImportAgreementPublic(publicKey);
    }

    public static bool Verify(ReadOnlySpan<byte> signingPublicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength) return false;
        using var key = ImportSigningPublic(signingPublicKey);
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static T Import<T>(Func<T> create)
    {
        try { return create(); }
        catch (CryptographicException e)
        {
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "not a valid P-256 key", e);
        }
    }
}
