// Packet protection with any of the crypto layer's AEADs, QUIC-style header protection and a replay window, from a send and a receive key.
using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// From each 32-byte key, HKDF-SHA256 (salt "p2pchat transport v1") derives an AEAD key (info "key", the cipher's key
/// length), a nonce base (info "iv", the cipher's nonce length) and a header-protection key (info "hp", 32 bytes).
/// <code>
/// protected payload = masked sequence (8) | ciphertext (plaintext length) | tag (cipher's tag length)
/// sequence          = per-direction counter, 0, 1, 2, … (never reused with a key)
/// nonce             = iv XOR (zero bytes | sequence big-endian in the last 8 bytes)
/// associated data   = clear header | sequence (unmasked, big-endian)
/// mask              = first 8 bytes of AES-256-ECB(hp key, first 16 bytes of ciphertext|tag); masked = sequence XOR mask
/// </code>
/// Links use AEGIS-128L (<see cref="LinkPacketCipher"/>: overhead 8 + 32 = 40 bytes), the fastest AEAD measured for
/// 1200-byte packets (docs/benchmarks.md, "AEAD choice"); counter nonces never repeat under a key, which is all AEGIS
/// needs. <see cref="AesGcmPacketProtector"/> is the same construction over AES-256-GCM (overhead 24).
/// The receiver unmasks, checks the sequence against a 1024-wide <see cref="ReplayWindow"/>, opens, and only then
/// records the sequence. Rekeying is out of scope: a connection must not send 2^32 packets under one key pair.
/// </summary>
public class AeadPacketProtector : IPacketProtector, IDisposable
{
    private const int SequenceLength = 8;
    private const int SampleLength = 16;
    private static readonly byte[] Salt = "p2pchat transport v1"u8.ToArray();

    private readonly AeadCipher _cipher;
    private readonly Direction _send;
    private readonly Direction _receive;
    private readonly ReplayWindow _replay = new();
    private long _nextSequence;

    /// <summary>The AEAD of link packets, chosen by measurement.</summary>
    internal static AeadCipher LinkPacketCipher => AeadCipher.Aegis128L;

    /// <summary>A link protector: AEGIS-128L.</summary>
    public static AeadPacketProtector ForLink(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey) => new(LinkPacketCipher, sendKey, receiveKey);

    /// <param name="sendKey">32 bytes; the peer uses it as its receive key.</param>
    /// <param name="receiveKey">32 bytes; the peer uses it as its send key.</param>
    internal AeadPacketProtector(AeadCipher cipher, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        if (sendKey.Length != 32 || receiveKey.Length != 32) throw new ArgumentException("keys must be 32 bytes");
        _cipher = cipher;
        _send = new Direction(cipher, sendKey);
        _receive = new Direction(cipher, receiveKey);
    }

    public int Overhead => SequenceLength + _cipher.TagLength;
    public int PlaintextOffset => SequenceLength;

    public int Protect(Span<byte> packet, int headerLength, int plaintextLength)
    {
        long sequence = _nextSequence++;
        var sequenceBytes = packet.Slice(headerLength, SequenceLength);
        BinaryPrimitives.WriteInt64BigEndian(sequenceBytes, sequence);
        int start = headerLength + SequenceLength;
        Span<byte> nonce = stackalloc byte[_cipher.NonceLength];
        _send.Nonce(sequence, nonce);
        _send.Aead.Seal(nonce, packet.Slice(start, plaintextLength), packet[..start], packet.Slice(start, plaintextLength + _cipher.TagLength));
        _send.Mask(packet.Slice(start, SampleLength), sequenceBytes);
        return start + plaintextLength + _cipher.TagLength;
    }

    public bool TryUnprotect(Span<byte> packet, int headerLength, out int plaintextStart, out int plaintextLength)
    {
        plaintextStart = headerLength + SequenceLength;
        plaintextLength = packet.Length - plaintextStart - _cipher.TagLength;
        if (plaintextLength < 0 || packet.Length - plaintextStart < SampleLength) return false;
        var sequenceBytes = packet.Slice(headerLength, SequenceLength);
        _receive.Mask(packet.Slice(plaintextStart, SampleLength), sequenceBytes);
        long sequence = BinaryPrimitives.ReadInt64BigEndian(sequenceBytes);
        if (sequence < 0 || !_replay.IsFresh((ulong)sequence)) return false;
        Span<byte> nonce = stackalloc byte[_cipher.NonceLength];
        _receive.Nonce(sequence, nonce);
        if (!_receive.Aead.TryOpen(nonce, packet[plaintextStart..], packet[..plaintextStart], packet.Slice(plaintextStart, plaintextLength)))
            return false;
        _replay.Accept((ulong)sequence);
        return true;
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The keys of one direction.</summary>
    private sealed class Direction : IDisposable
    {
        private readonly byte[] _iv;
        private readonly Aes _headerProtection = Aes.Create();
        private readonly ICryptoTransform _maskCipher;
        private readonly byte[] _sample = new byte[SampleLength];
        private readonly byte[] _mask = new byte[SampleLength];

        public Direction(AeadCipher cipher, ReadOnlySpan<byte> secret)
        {
            Span<byte> key = stackalloc byte[cipher.KeyLength];
            Span<byte> hp = stackalloc byte[32];
            Span<byte> prk = stackalloc byte[32];
            _iv = new byte[cipher.NonceLength];
            HKDF.Extract(HashAlgorithmName.SHA256, secret, Salt, prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, key, "key"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _iv, "iv"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, hp, "hp"u8);
            Aead = cipher.CreateKey(key);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(prk);
            _headerProtection.Key = hp.ToArray();
            CryptographicOperations.ZeroMemory(hp);
            _headerProtection.Mode = CipherMode.ECB;
            _headerProtection.Padding = PaddingMode.None;
            // One reusable ECB transform: the one-shot EncryptEcb builds a cipher context per call, a large share of
            // the per-packet cost on a fast path.
            _maskCipher = _headerProtection.CreateEncryptor();
        }

        public AeadKey Aead { get; }

        public void Nonce(long sequence, Span<byte> nonce)
        {
            _iv.CopyTo(nonce);
            var tail = nonce[^8..];
            BinaryPrimitives.WriteUInt64BigEndian(tail, BinaryPrimitives.ReadUInt64BigEndian(tail) ^ (ulong)sequence);
        }

        /// <summary>XORs the 8-byte sequence field with a mask computed from a 16-byte ciphertext sample.</summary>
        public void Mask(ReadOnlySpan<byte> sample, Span<byte> sequenceBytes)
        {
            sample.CopyTo(_sample);
            _maskCipher.TransformBlock(_sample, 0, SampleLength, _mask, 0);
            for (int i = 0; i < SequenceLength; i++) sequenceBytes[i] ^= _mask[i];
        }

        public void Dispose()
        {
            Aead.Dispose();
            _maskCipher.Dispose();
            _headerProtection.Dispose();
        }
    }
}
