// Seals profile secrets (identity, prekeys, session states) under a key derived from the user's password with Argon2id.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Vault;

/// <summary>
/// Sealed blob layout (59-byte header, then ciphertext):
/// <code>
/// magic "P2PV" (4) | suite 0x02 (1) | KDF id 0x02 = Argon2id (1) | memory KiB u32 BE (4) | passes u32 BE (4) | lanes (1)
/// | salt (16) | verifier (16) | nonce (12) | AES-256-GCM ciphertext | tag (16)
/// </code>
/// master = Argon2id(UTF-8 password, salt, m, t, p = 1, 32 bytes);
/// key = HKDF-SHA256(salt = empty, ikm = master, info = "P2PChat vault key v1", 32);
/// verifier = HKDF-SHA256(salt = empty, ikm = master, info = "P2PChat vault verifier v1", 16);
/// AEAD associated data = the whole header (bytes 0..59, magic through nonce). Nonces are random per blob.
/// The verifier lets a wrong password be told apart from a damaged blob; it helps no guesser, who must run
/// Argon2id per guess either way. One vault (one Argon2id run per sign-in) seals every blob of a profile.
/// A blob of the P-256 version (suite byte 0x01, PBKDF2) is refused as <see cref="CryptoFailure.RetiredSuite"/>: the
/// keys inside it are P-256 keys this version cannot use.
/// </summary>
public sealed class ProfileKeyVault : IDisposable
{
    public const int SaltLength = 16;
    public const int HeaderLength = 4 + 1 + 1 + 4 + 4 + 1 + SaltLength + VerifierLength + NonceLength;
    private const int VerifierLength = 16;
    private const int NonceLength = 12;
    private const byte Argon2idKdf = 0x02;
    private static readonly byte[] Magic = "P2PV"u8.ToArray();
    private static readonly AeadCipher Cipher = AeadCipher.Aes256Gcm;

    private readonly byte[] _key;
    private readonly byte[] _salt;
    private readonly byte[] _verifier;
    private readonly Argon2Settings _settings;
    private readonly IKeySource _keys;

    private ProfileKeyVault(string password, byte[] salt, Argon2Settings settings, IKeySource keys)
    {
        var master = new byte[32];
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            PasswordKdf.Argon2id(passwordBytes, salt, settings, master);
            _key = Kdf.Hkdf(master, [], ProtocolLabels.VaultKey, Cipher.KeyLength);
            _verifier = Kdf.Hkdf(master, [], ProtocolLabels.VaultVerifier, VerifierLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
        _salt = salt;
        _settings = settings;
        _keys = keys;
    }

    /// <summary>The Argon2id parameters this vault's blobs carry.</summary>
    public Argon2Settings Settings => _settings;

    /// <summary>A new vault with a fresh salt (for a new profile or a password change), at <see cref="Argon2Settings.Default"/>.</summary>
    public static ProfileKeyVault Create(string password, IKeySource? keys = null) => Create(password, Argon2Settings.Default, keys);

    /// <summary>A new vault with chosen Argon2id parameters (refused below OWASP's minimum).</summary>
    public static ProfileKeyVault Create(string password, Argon2Settings settings, IKeySource? keys = null)
    {
        if (!settings.IsAcceptable) throw new CryptoProtocolException(CryptoFailure.Malformed, "vault Argon2id parameters below the minimum or above the ceiling");
        return CreateUnchecked(password, settings, keys);
    }

    /// <summary>Tests only: parameters below the floor, so property tests stay fast.</summary>
    internal static ProfileKeyVault CreateUnchecked(string password, Argon2Settings settings, IKeySource? keys)
    {
        keys ??= SystemKeySource.Instance;
        var salt = new byte[SaltLength];
        keys.Fill(salt);
        return new ProfileKeyVault(password, salt, settings, keys);
    }

    /// <summary>
    /// Re-opens the vault that sealed <paramref name="sealedBlob"/>; throws WrongPassword if the password is not the one,
    /// RetiredSuite for a blob of the P-256 version, Malformed for parameters below the floor or above the ceiling.
    /// </summary>
    public static ProfileKeyVault Unlock(string password, ReadOnlySpan<byte> sealedBlob, IKeySource? keys = null) =>
        Unlock(password, sealedBlob, acceptWeak: false, keys);

    internal static ProfileKeyVault Unlock(string password, ReadOnlySpan<byte> sealedBlob, bool acceptWeak, IKeySource? keys)
    {
        var header = Header.Read(sealedBlob);
        if (!(acceptWeak ? header.Settings.IsComputable : header.Settings.IsAcceptable))
            throw new CryptoProtocolException(CryptoFailure.Malformed, "vault Argon2id parameters out of range");
        var vault = new ProfileKeyVault(password, header.Salt, header.Settings, keys ?? SystemKeySource.Instance);
        if (CryptographicOperations.FixedTimeEquals(vault._verifier, header.Verifier)) return vault;
        vault.Dispose();
        throw new CryptoProtocolException(CryptoFailure.WrongPassword, "wrong password");
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var nonce = new byte[NonceLength];
        _keys.Fill(nonce);
        var header = new ByteWriter(HeaderLength).Bytes(Magic).Byte(CryptoSuite.Current).Byte(Argon2idKdf)
            .UInt32((uint)_settings.MemoryKib).UInt32((uint)_settings.Passes).Byte((byte)_settings.Parallelism)
            .Bytes(_salt).Bytes(_verifier).Bytes(nonce).ToArray();
        return [.. header, .. Cipher.Seal(_key, nonce, plaintext, header)];
    }

    /// <summary>Throws WrongPassword if the blob belongs to another password or salt, AuthenticationFailed if it was altered.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedBlob)
    {
        var header = Header.Read(sealedBlob);
        if (!CryptographicOperations.FixedTimeEquals(header.Salt, _salt) || header.Settings != _settings
            || !CryptographicOperations.FixedTimeEquals(header.Verifier, _verifier))
            throw new CryptoProtocolException(CryptoFailure.WrongPassword, "blob was sealed by another vault (password or salt)");
        return Cipher.Open(_key, header.Nonce, sealedBlob[HeaderLength..], sealedBlob[..HeaderLength]);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private sealed record Header(Argon2Settings Settings, byte[] Salt, byte[] Verifier, byte[] Nonce)
    {
        public static Header Read(ReadOnlySpan<byte> blob)
        {
            var reader = CryptoBytes.Reader(blob);
            if (!reader.ReadBytes(Magic.Length).SequenceEqual(Magic))
                throw new CryptoProtocolException(CryptoFailure.Malformed, "not a P2PChat vault blob");
            reader.ExpectSuite("profile key file");
            if (reader.ReadByte() != Argon2idKdf) throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, "unknown vault KDF");
            var memory = reader.ReadUInt32();
            var passes = reader.ReadUInt32();
            int lanes = reader.ReadByte();
            if (memory > int.MaxValue || passes > int.MaxValue) throw new CryptoProtocolException(CryptoFailure.Malformed, "vault Argon2id parameters out of range");
            var header = new Header(new Argon2Settings((int)memory, (int)passes, lanes), reader.ReadArray(SaltLength), reader.ReadArray(VerifierLength), reader.ReadArray(NonceLength));
            if (reader.Remaining < Cipher.TagLength) throw new CryptoProtocolException(CryptoFailure.Malformed, "vault blob too short");
            return header;
        }
    }
}
