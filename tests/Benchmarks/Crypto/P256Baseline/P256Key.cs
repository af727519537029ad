// Benchmark baseline only: the retired product's P-256 key handling (BCL ECDH/ECDSA, SEC1 points, validation at import), kept to measure against.
using System.Security.Cryptography;

namespace P2PChat.Benchmarks.Crypto.P256Baseline;

/// <summary>As the P-256 product did it (Core/Crypto/Primitives/P256*.cs before issue 9): a key is generated as a scalar,
/// imported through OpenSSL, and every peer point is imported (validated) before each ECDH.</summary>
internal sealed class P256Key : IDisposable
{
    public const int PublicKeyLength = 65;
    private static readonly ECCurve Curve = ECCurve.NamedCurves.nistP256;
    private readonly ECDiffieHellman _key;

    private P256Key(ECDiffieHellman key)
    {
        _key = key;
        var q = key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    public byte[] PublicKey { get; }

    public static P256Key Generate()
    {
        using var fresh = ECDiffieHellman.Create(Curve);
        var d = fresh.ExportParameters(true).D!;
        try { return new P256Key(ECDiffieHellman.Create(new ECParameters { Curve = Curve, D = d })); }
        finally { CryptographicOperations.ZeroMemory(d); }
    }

    public byte[] Agree(byte[] remotePublicKey)
    {
        using var remote = ImportPublic(remotePublicKey);
        return _key.DeriveRawSecretAgreement(remote.PublicKey);
    }

    public static ECDiffieHellman ImportPublic(byte[] point) => ECDiffieHellman.Create(new ECParameters
    {
        Curve = Curve,
        Q = new ECPoint { X = point[1..33], Y = point[33..65] },
    });

    public void Dispose() => _key.Dispose();
}

/// <summary>ECDSA P-256/SHA-256 in IEEE P1363 form, as the P-256 product signed prekeys and sender-key messages.</summary>
internal sealed class P256Signer : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public P256Signer()
    {
        var q = _key.ExportParameters(false).Q;
        PublicKey = [0x04, .. q.X!, .. q.Y!];
    }

    public byte[] PublicKey { get; }

    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static bool Verify(byte[] publicKey, byte[] data, byte[] signature)
    {
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..65] } });
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}
