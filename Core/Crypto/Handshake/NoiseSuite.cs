// The Noise protocol suites the link handshake can run: DH 25519 and hash SHA-256 with the ChaChaPoly or AESGCM cipher.
using System.Buffers.Binary;
using System.Text;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Handshake;

/// <summary>
/// Noise specification (revision 34) cipher functions, section 12:
/// <code>
/// ChaChaPoly: ChaCha20-Poly1305 (RFC 8439), nonce = 4 zero bytes | n as u64 little-endian
/// AESGCM:     AES-256-GCM,                  nonce = 4 zero bytes | n as u64 big-endian
/// </code>
/// Both: 32-byte key, 16-byte tag. The link uses <see cref="ChaChaPoly"/> (the choice and its measurement are in
/// docs/security.md and docs/benchmarks.md); <see cref="AesGcm"/> is kept so the benchmark can compare and the
/// published vectors of both pin the implementation.
/// </summary>
internal sealed class NoiseSuite
{
    public static readonly NoiseSuite ChaChaPoly = new("Noise_XX_25519_ChaChaPoly_SHA256", AeadCipher.ChaCha20Poly1305, littleEndianNonce: true);
    public static readonly NoiseSuite AesGcm = new("Noise_XX_25519_AESGCM_SHA256", AeadCipher.Aes256Gcm, littleEndianNonce: false);

    private readonly bool _littleEndianNonce;

    private NoiseSuite(string name, AeadCipher cipher, bool littleEndianNonce)
    {
        Name = name;
        ProtocolName = Encoding.ASCII.GetBytes(name);
        Cipher = cipher;
        _littleEndianNonce = littleEndianNonce;
    }

    public string Name { get; }
    public byte[] ProtocolName { get; }
    public AeadCipher Cipher { get; }

    public void WriteNonce(ulong n, Span<byte> nonce)
    {
        nonce[..4].Clear();
        if (_littleEndianNonce) BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], n);
        else BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], n);
    }

    public override string ToString() => Name;
}
