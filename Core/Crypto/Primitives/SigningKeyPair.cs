// An owned Ed25519 signing key pair (identity signing key, sender-key signing key) held by libsodium through NSec.
using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// Ed25519 (RFC 8032, pure, no prehash): public key 32 bytes, private key = the 32-byte seed, signature 64 bytes
/// (deterministic). Verification is libsodium's, which rejects non-canonical encodings and small-order keys.
/// </summary>
public sealed class SigningKeyPair : IDisposable
{
    public const int PublicKeyLength = 32;
    public const int PrivateKeyLength = 32;
    public const int SignatureLength = 64;
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;
    private readonly byte[] _publicKey;

    private SigningKeyPair(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != PrivateKeyLength)
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "Ed25519 private key must be 32 bytes");
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        _key = Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey, in parameters);
        _publicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public static SigningKeyPair Generate(IKeySource keys)
    {
        var seed = keys.NewPrivateKey();
        try { return new SigningKeyPair(seed); }
        finally { CryptographicOperations.ZeroMemory(seed); }
    }

    public static SigningKeyPair FromPrivateKey(ReadOnlySpan<byte> seed) => new(seed);

    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    /// <summary>The 32-byte seed, for sealing by the vault.</summary>
    internal byte[] ExportPrivate() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>False for a wrong signature, a signature of the wrong length or an invalid public key.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength || publicKey.Length != PublicKeyLength) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null) return false;
        return Algorithm.Verify(key, data, signature);
    }

    /// <summary>Throws InvalidKey unless <paramref name="publicKey"/> is a 32-byte Ed25519 key.</summary>
    public static void ValidatePublic(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength || !NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out _))
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "Ed25519 public key must be 32 bytes");
    }

    public void Dispose() => _key.Dispose();
}
