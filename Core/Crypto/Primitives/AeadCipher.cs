// The AEAD algorithms P2PChat can use, behind one shape: AES-256-GCM (BCL) and ChaCha20-Poly1305, AEGIS-128L, AEGIS-256 (NSec).
using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// Sealed output = ciphertext ‖ tag. Every cipher here needs a nonce that never repeats under a key; callers derive
/// one per message key (ratchet, sender keys), count (Noise, packets) or draw it at random (vault, 12 bytes under a
/// fresh key per profile). Which cipher each use takes is decided by measurement (docs/benchmarks.md, "Crypto").
/// <code>
/// cipher              key  nonce  tag   implementation
/// AES-256-GCM         32   12     16    BCL (OpenSSL)
/// ChaCha20-Poly1305   32   12     16    NSec (libsodium, IETF variant, RFC 8439)
/// AEGIS-128L          16   16     32    NSec (libsodium)
/// AEGIS-256           32   32     32    NSec (libsodium)
/// </code>
/// </summary>
internal sealed class AeadCipher
{
    public static readonly AeadCipher Aes256Gcm = new("AES-256-GCM", null);
    public static readonly AeadCipher ChaCha20Poly1305 = new("ChaCha20-Poly1305", AeadAlgorithm.ChaCha20Poly1305);
    public static readonly AeadCipher Aegis128L = new("AEGIS-128L", AeadAlgorithm.Aegis128L);
    public static readonly AeadCipher Aegis256 = new("AEGIS-256", AeadAlgorithm.Aegis256);

    private readonly AeadAlgorithm? _sodium;

    private AeadCipher(string name, AeadAlgorithm? sodium)
    {
        Name = name;
        _sodium = sodium;
        KeyLength = sodium?.KeySize ?? 32;
        NonceLength = sodium?.NonceSize ?? 12;
        TagLength = sodium?.TagSize ?? 16;
    }

    public string Name { get; }
    public int KeyLength { get; }
    public int NonceLength { get; }
    public int TagLength { get; }

    /// <summary>One-shot seal under a raw key: returns ciphertext ‖ tag.</summary>
    public byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        using var k = CreateKey(key);
        var output = new byte[plaintext.Length + TagLength];
        k.Seal(nonce, plaintext, associatedData, output);
        return output;
    }

    /// <summary>One-shot open; throws AuthenticationFailed (nothing returned) when the tag does not verify.</summary>
    public byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData)
    {
        if (sealedData.Length < TagLength)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "ciphertext shorter than the tag");
        using var k = CreateKey(key);
        var plaintext = new byte[sealedData.Length - TagLength];
        if (!k.TryOpen(nonce, sealedData, associatedData, plaintext))
            throw new CryptoProtocolException(CryptoFailure.AuthenticationFailed, "AEAD tag mismatch");
        return plaintext;
    }

    /// <summary>A key kept for many messages (packet protection): imported once, wiped on Dispose.</summary>
    public AeadKey CreateKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength) throw new CryptoProtocolException(CryptoFailure.InvalidKey, $"{Name} key must be {KeyLength} bytes");
        return _sodium is null ? new BclAesGcmKey(key, TagLength) : new SodiumKey(_sodium, key);
    }

    public override string ToString() => Name;

    private sealed class BclAesGcmKey(ReadOnlySpan<byte> key, int tagLength) : AeadKey
    {
        private readonly AesGcm _aes = new(key, tagLength);

        public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output) =>
            _aes.Encrypt(nonce, plaintext, output[..plaintext.Length], output.Slice(plaintext.Length, tagLength), associatedData);

        public override bool TryOpen(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
        {
            var length = sealedData.Length - tagLength;
            try
            {
                _aes.Decrypt(nonce, sealedData[..length], sealedData[length..], plaintext[..length], associatedData);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        public override void Dispose() => _aes.Dispose();
    }

    private sealed class SodiumKey : AeadKey
    {
        private readonly AeadAlgorithm _algorithm;
        private readonly Key _key;

        public SodiumKey(AeadAlgorithm algorithm, ReadOnlySpan<byte> key)
        {
            _algorithm = algorithm;
            var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None };
            _key = Key.Import(algorithm, key, KeyBlobFormat.RawSymmetricKey, in parameters);
        }

        public override void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output) =>
            _algorithm.Encrypt(_key, nonce, associatedData, plaintext, output[..(plaintext.Length + _algorithm.TagSize)]);

        public override bool TryOpen(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData, Span<byte> plaintext) =>
            _algorithm.Decrypt(_key, nonce, associatedData, sealedData, plaintext[..(sealedData.Length - _algorithm.TagSize)]);

        public override void Dispose() => _key.Dispose();
    }
}

/// <summary>An imported AEAD key. <see cref="Seal"/> writes ciphertext ‖ tag into <c>output</c> (plaintext length + tag);
/// <see cref="TryOpen"/> writes nothing useful and returns false when the tag does not verify. In place is allowed when
/// the plaintext and ciphertext start at the same byte.</summary>
internal abstract class AeadKey : IDisposable
{
    public abstract void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> output);
    public abstract bool TryOpen(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> sealedData, ReadOnlySpan<byte> associatedData, Span<byte> plaintext);
    public abstract void Dispose();
}
