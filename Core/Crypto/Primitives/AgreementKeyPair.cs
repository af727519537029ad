// An owned X25519 key pair (identity DH key, prekey, ratchet or ephemeral key) held by libsodium through NSec.
using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// X25519 (RFC 7748): public key = 32-byte u-coordinate, private key = 32 bytes (clamped by X25519),
/// shared secret = the raw 32-byte X25519 output (hash it before use: every caller feeds it to HKDF).
/// The private key lives in libsodium's guarded memory; it can be exported (for sealing by the vault) only when the
/// pair was made exportable; ephemerals are not.
/// </summary>
public sealed class AgreementKeyPair : IDisposable
{
    public const int PublicKeyLength = 32;
    public const int PrivateKeyLength = 32;
    public const int SharedSecretLength = 32;
    private static readonly KeyAgreementAlgorithm Algorithm = KeyAgreementAlgorithm.X25519;

    private readonly Key _key;
    private readonly byte[] _publicKey;

    private AgreementKeyPair(ReadOnlySpan<byte> privateKey, bool exportable)
    {
        if (privateKey.Length != PrivateKeyLength)
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "X25519 private key must be 32 bytes");
        var parameters = new KeyCreationParameters
        {
            ExportPolicy = exportable ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None,
        };
        _key = Key.Import(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey, in parameters);
        _publicKey = _key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        IsExportable = exportable;
    }

    /// <summary>The 32-byte X25519 public key.</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKey;

    public bool IsExportable { get; }

    /// <summary>A fresh pair; <paramref name="exportable"/> only for keys that must be stored (sealed).</summary>
    public static AgreementKeyPair Generate(IKeySource keys, bool exportable = true)
    {
        var secret = keys.NewPrivateKey();
        try { return new AgreementKeyPair(secret, exportable); }
        finally { CryptographicOperations.ZeroMemory(secret); }
    }

    /// <summary>Imports a stored 32-byte private key (copied into guarded memory); the result is exportable.</summary>
    public static AgreementKeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey) => new(privateKey, exportable: true);

    /// <summary>X25519 with a peer public key. Throws InvalidKey for a malformed key or a low-order point (all-zero output).</summary>
    public byte[] Agree(ReadOnlySpan<byte> remotePublicKey)
    {
        var remote = ImportPublic(remotePublicKey);
        var parameters = new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        using var secret = Algorithm.Agree(_key, remote, in parameters)
            ?? throw new CryptoProtocolException(CryptoFailure.InvalidKey, "X25519 with this public key gives the all-zero secret (low-order point)");
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    /// <summary>The raw private key, for sealing by the vault. Throws InvalidState for a non-exportable (ephemeral) key.</summary>
    internal byte[] ExportPrivate() => IsExportable
        ? _key.Export(KeyBlobFormat.RawPrivateKey)
        : throw new CryptoProtocolException(CryptoFailure.InvalidState, "this key is not exportable");

    /// <summary>Throws InvalidKey unless <paramref name="publicKey"/> is 32 bytes.</summary>
    public static void ValidatePublic(ReadOnlySpan<byte> publicKey) => ImportPublic(publicKey);

    private static NSec.Cryptography.PublicKey ImportPublic(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyLength || !NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
            throw new CryptoProtocolException(CryptoFailure.InvalidKey, "X25519 public key must be 32 bytes");
        return key;
    }

    public void Dispose() => _key.Dispose();
}
