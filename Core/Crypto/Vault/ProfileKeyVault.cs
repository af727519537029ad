// Seals profile secrets (identity, prekeys, session states) under a key derived from the user's password.
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Vault;

/// <summary>
/// Sealed blob layout (54-byte header, then ciphertext):
/// <code>
/// magic "P2PV" (4) | version 0x01 (1) | KDF id 0x01 = PBKDF2-HMAC-SHA256 (1) | iterations u32 BE (4) | salt (16)
/// | verifier (16) | nonce (12) | AES-256-GCM ciphertext | tag (16)
/// </code>
/// master = PBKDF2-HMAC-SHA256(UTF-8 password, salt, iterations, 32 bytes);
/// key = HKDF-SHA256(salt = empty, ikm = master, info = "P2PChat vault key v1", 32);
/// verifier = HKDF-SHA256(salt = empty, ikm = master, info = "P2PChat vault verifier v1", 16);
/// AEAD associated data = the whole header (bytes 0..54, magic through nonce). Nonces are random per blob.
/// The verifier lets a wrong password be told apart from a damaged blob; it helps no guesser, who must run
/// PBKDF2 per guess either way. One vault (one PBKDF2 run per sign-in) seals every blob of a profile.
/// </summary>
public sealed class ProfileKeyVault : IDisposable
{
    public const int DefaultIterations = 600_000;
    public const int MinimumIterations = 600_000;
    public const int MaximumIterations = 10_000_000;
    public const int SaltLength = 16;
    public const int HeaderLength = 4 + 1 + 1 + 4 + SaltLength + VerifierLength + Aead.NonceLength;
    private const int VerifierLength = 16;
    private const byte Version = 0x01;
    private const byte Pbkdf2Sha256 = 0x01;
    private static readonly byte[] Magic = "P2PV"u8.ToArray();

    private readonly byte[] _key;
    private readonly byte[] _salt;
    private readonly byte[] _verifier;
    private readonly int _iterations;
    private readonly IKeySource _keys;

    private ProfileKeyVault(string password, byte[] salt, int iterations, IKeySource keys)
    {
        var master = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        _key = Kdf.Hkdf(master, [], ProtocolLabels.VaultKey, Aead.KeyLength);
        _verifier = Kdf.Hkdf(master, [], ProtocolLabels.VaultVerifier, VerifierLength);
        CryptographicOperations.ZeroMemory(master);
        _salt = salt;
        _iterations = iterations;
        _keys = keys;
    }

    /// <summary>A new vault with a fresh salt (for a new profile or a password change).</summary>
    public static ProfileKeyVault Create(string password, IKeySource? keys = null) => Create(password, DefaultIterations, keys);

    internal static ProfileKeyVault Create(string password, int iterations, IKeySource? keys)
    {
        keys ??= SystemKeySource.Instance;
        var salt = new byte[SaltLength];
        keys.Fill(salt);
        return new ProfileKeyVault(password, salt, iterations, keys);
    }

    /// <summary>Re-opens the vault that sealed <paramref name="sealedBlob"/>; throws WrongPassword if the password is not the one.</summary>
    public static ProfileKeyVault Unlock(string password, ReadOnlySpan<byte> sealedBlob, IKeySource? keys = null) =>
        Unlock(password, sealedBlob, MinimumIterations, keys);

    internal static ProfileKeyVault Unlock(string password, ReadOnlySpan<byte> sealedBlob, int minimumIterations, IKeySource? keys)
    {
        var header = Header.Read(sealedBlob);
        if (header.Iterations < minimumIterations || header.Iterations > MaximumIterations)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "vault iteration count out of range");
        var vault = new ProfileKeyVault(password, header.Salt, header.Iterations, keys ?? SystemKeySource.Instance);
        if (CryptographicOperations.FixedTimeEquals(vault._verifier, header.Verifier)) return vault;
        vault.Dispose();
        throw new CryptoProtocolException(CryptoFailure.WrongPassword, "wrong password");
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var nonce = new byte[Aead.NonceLength];
        _keys.Fill(nonce);
        var header = new ByteWriter(HeaderLength).Bytes(Magic).Byte(Version).Byte(Pbkdf2Sha256).UInt32((uint)_iterations)
            .Bytes(_salt).Bytes(_verifier).Bytes(nonce).ToArray();
        return [.. header, .. Aead.Seal(_key, nonce, plaintext, header)];
    }

    /// <summary>Throws WrongPassword if the blob belongs to another password or salt, AuthenticationFailed if it was altered.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedBlob)
    {
        var header = Header.Read(sealedBlob);
        if (!CryptographicOperations.FixedTimeEquals(header.Salt, _salt) || header.Iterations != _iterations
            || !CryptographicOperations.FixedTimeEquals(header.Verifier, _verifier))
            throw new CryptoProtocolException(CryptoFailure.WrongPassword, "blob was sealed by another vault (password or salt)");
        return Aead.Open(_key, header.Nonce, sealedBlob[HeaderLength..], sealedBlob[..HeaderLength]);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private sealed record Header(int Iterations, byte[] Salt, byte[] Verifier, byte[] Nonce)
    {
        public static Header Read(ReadOnlySpan<byte> blob)
        {
            var reader = new ByteReader(blob);
            if (!reader.ReadBytes(Magic.Length).SequenceEqual(Magic))
                throw new CryptoProtocolException(CryptoFailure.Malformed, "not a P2PChat vault blob");
            reader.ExpectVersion(Version, "vault");
            if (reader.ReadByte() != Pbkdf2Sha256) throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, "unknown vault KDF");
            var iterations = reader.ReadUInt32();
            if (iterations > int.MaxValue) throw new CryptoProtocolException(CryptoFailure.Malformed, "vault iteration count out of range");
            var header = new Header((int)iterations, reader.ReadArray(SaltLength), reader.ReadArray(VerifierLength), reader.ReadArray(Aead.NonceLength));
            if (reader.Remaining < Aead.TagLength) throw new CryptoProtocolException(CryptoFailure.Malformed, "vault blob too short");
            return header;
        }
    }
}
