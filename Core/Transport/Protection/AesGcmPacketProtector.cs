// AES-256-GCM packet protection with QUIC-style header protection and a replay window, from a send and a receive key.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// From each 32-byte key, HKDF-SHA256 (salt "p2pchat transport v1") derives an AEAD key (info "key", 32 bytes),
/// a nonce base (info "iv", 12 bytes) and a header-protection key (info "hp", 32 bytes).
/// <code>
/// protected payload = masked sequence (8) | ciphertext (plaintext length) | GCM tag (16)
/// sequence          = per-direction counter, 0, 1, 2, … (never reused with a key)
/// nonce             = iv XOR (4 zero bytes | sequence big-endian)
/// associated data   = clear header | sequence (unmasked, big-endian)
/// mask              = first 8 bytes of AES-ECB(hp key, first 16 bytes of ciphertext|tag); masked = sequence XOR mask
/// </code>
/// The receiver unmasks, checks the sequence against a 1024-wide <see cref="ReplayWindow"/> (the one the link
/// layer uses too), opens, and only then records the sequence.
/// Overhead 24 bytes. Rekeying is out of scope: a connection must not send 2^32 packets under one key pair.
/// </summary>
public sealed class AesGcmPacketProtector : IPacketProtector, IDisposable
{
    private const int SequenceLength = 8;
    private const int TagLength = 16;
    private static readonly byte[] Salt = "p2pchat transport v1"u8.ToArray();

    private readonly Direction _send;
    private readonly Direction _receive;
    private readonly ReplayWindow _replay = new();
    private long _nextSequence;

    /// <param name="sendKey">32 bytes; the peer uses it as its receive key.</param>
    /// <param name="receiveKey">32 bytes; the peer uses it as its send key.</param>
    public AesGcmPacketProtector(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        if (sendKey.Length != 32 || receiveKey.Length != 32) throw new ArgumentException("keys must be 32 bytes");
        _send = new Direction(sendKey);
        _receive = new Direction(receiveKey);
    }

    public int Overhead => SequenceLength + TagLength;
    public int PlaintextOffset => SequenceLength;

    public int Protect(Span<byte> packet, int headerLength, int plaintextLength)
    {
        long sequence = _nextSequence++;
        var sequenceBytes = packet.Slice(headerLength, SequenceLength);
        BinaryPrimitives.WriteInt64BigEndian(sequenceBytes, sequence);
        var plaintext = packet.Slice(headerLength + SequenceLength, plaintextLength);
        var tag = packet.Slice(headerLength + SequenceLength + plaintextLength, TagLength);
        Span<byte> nonce = stackalloc byte[12];
        _send.Nonce(sequence, nonce);
        _send.Aead.Encrypt(nonce, plaintext, plaintext, tag, packet[..(headerLength + SequenceLength)]);
        _send.Mask(packet.Slice(headerLength + SequenceLength, 16), sequenceBytes);
        return headerLength + SequenceLength + plaintextLength + TagLength;
    }

    public bool TryUnprotect(Span<byte> packet, int headerLength, out int plaintextStart, out int plaintextLength)
    {
        plaintextStart = headerLength + SequenceLength;
        plaintextLength = packet.Length - plaintextStart - TagLength;
        if (plaintextLength < 0 || packet.Length - plaintextStart < 16) return false;
        var sequenceBytes = packet.Slice(headerLength, SequenceLength);
        _receive.Mask(packet.Slice(plaintextStart, 16), sequenceBytes);
        long sequence = BinaryPrimitives.ReadInt64BigEndian(sequenceBytes);
        if (sequence < 0 || !_replay.IsFresh((ulong)sequence)) return false;
        Span<byte> nonce = stackalloc byte[12];
        _receive.Nonce(sequence, nonce);
        var ciphertext = packet.Slice(plaintextStart, plaintextLength);
        try
        {
            _receive.Aead.Decrypt(nonce, ciphertext, packet.Slice(plaintextStart + plaintextLength, TagLength), ciphertext, packet[..plaintextStart]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        _replay.Accept((ulong)sequence);
        return true;
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    /// <summary>The keys of one direction.</summary>
    private sealed class Direction : IDisposable
    {
        private readonly byte[] _iv = new byte[12];
        private readonly Aes _headerProtection = Aes.Create();
        private readonly ICryptoTransform _maskCipher;
        private readonly byte[] _sample = new byte[16];
        private readonly byte[] _mask = new byte[16];

        public Direction(ReadOnlySpan<byte> secret)
        {
            Span<byte> key = stackalloc byte[32];
            Span<byte> hp = stackalloc byte[32];
            Span<byte> prk = stackalloc byte[32];
            HKDF.Extract(HashAlgorithmName.SHA256, secret, Salt, prk);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, key, "key"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, _iv, "iv"u8);
            HKDF.Expand(HashAlgorithmName.SHA256, prk, hp, "hp"u8);
            Aead = new AesGcm(key, TagLength);
            _headerProtection.Key = hp.ToArray();
            _headerProtection.Mode = CipherMode.ECB;
            _headerProtection.Padding = PaddingMode.None;
            // One reusable ECB transform: the one-shot EncryptEcb builds a cipher context per call, a large share of
            // the per-packet cost on a fast path.
            _maskCipher = _headerProtection.CreateEncryptor();
        }

        public AesGcm Aead { get; }

        public void Nonce(long sequence, Span<byte> nonce)
        {
            _iv.CopyTo(nonce);
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(nonce[4..]) ^ (ulong)sequence;
            BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], value);
        }

        /// <summary>XORs the 8-byte sequence field with a mask computed from a 16-byte ciphertext sample.</summary>
        public void Mask(ReadOnlySpan<byte> sample, Span<byte> sequenceBytes)
        {
            sample.CopyTo(_sample);
            _maskCipher.TransformBlock(_sample, 0, 16, _mask, 0);
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
