// AEAD protection of every transport packet (UDP datagram or TCP frame) on a link, with replayed packets dropped.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Core.Crypto;

/// <summary>
/// Packet layout: <code>counter u64 BE (8) | AES-256-GCM ciphertext | tag (16)</code>  (overhead 24 bytes)
/// nonce = 0x00000000 | counter u64 BE; associated data = counter (8) | caller's associated data (e.g. a transport header).
/// Each direction has its own key (<see cref="LinkKeys"/>), so the two sides' counters never share a nonce.
/// Counters start at 0 and never repeat; sealing stops with KeyExhausted before one would wrap (re-handshake long before).
/// Open rejects a counter already accepted or older than the <see cref="ReplayWindow"/> (Replayed) and any forged packet
/// (AuthenticationFailed), without moving the window. Thread-safe: one lock per direction.
/// </summary>
public sealed class LinkPacketProtector : IDisposable
{
    public const int Overhead = 8 + Aead.TagLength;
    private readonly AesGcm _send;
    private readonly AesGcm _receive;
    private readonly ReplayWindow _window = new();
    private readonly Lock _sendLock = new();
    private readonly Lock _receiveLock = new();
    private ulong _nextCounter;

    public LinkPacketProtector(LinkKeys keys)
    {
        _send = new AesGcm(keys.SendKey, Aead.TagLength);
        _receive = new AesGcm(keys.ReceiveKey, Aead.TagLength);
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData = default)
    {
        var packet = new byte[plaintext.Length + Overhead];
        SealInto(plaintext, packet, associatedData);
        return packet;
    }

    /// <summary>Writes the packet into <paramref name="destination"/> (at least plaintext + <see cref="Overhead"/>); returns its length.</summary>
    public int SealInto(ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData = default)
    {
        var length = plaintext.Length + Overhead;
        if (destination.Length < length) throw new ArgumentException("destination too small", nameof(destination));
        Span<byte> nonce = stackalloc byte[Aead.NonceLength];
        lock (_sendLock)
        {
            if (_nextCounter == ulong.MaxValue) throw new CryptoProtocolException(CryptoFailure.KeyExhausted, "link send counter exhausted");
            var counter = _nextCounter++;
            BinaryPrimitives.WriteUInt64BigEndian(destination, counter);
            BuildNonce(counter, nonce);
            var ad = AssociatedData(destination[..8], associatedData, stackalloc byte[AdStackLimit]);
            _send.Encrypt(nonce, plaintext, destination.Slice(8, plaintext.Length), destination.Slice(8 + plaintext.Length, Aead.TagLength), ad);
        }
        return length;
    }

    public byte[] Open(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> associatedData = default)
    {
        if (packet.Length < Overhead) throw new CryptoProtocolException(CryptoFailure.Malformed, "packet shorter than its overhead");
        var plaintext = new byte[packet.Length - Overhead];
        OpenInto(packet, plaintext, associatedData);
        return plaintext;
    }

    /// <summary>Decrypts into <paramref name="destination"/>; returns the plaintext length. Throws Replayed, AuthenticationFailed or Malformed.</summary>
    public int OpenInto(ReadOnlySpan<byte> packet, Span<byte> destination, ReadOnlySpan<byte> associatedData = default)
    {
        if (packet.Length < Overhead) throw new CryptoProtocolException(CryptoFailure.Malformed, "packet shorter than its overhead");
        var length = packet.Length - Overhead;
        if (destination.Length < length) throw new ArgumentException("destination too small", nameof(destination));
        var counter = BinaryPrimitives.ReadUInt64BigEndian(packet);
        Span<byte> nonce = stackalloc byte[Aead.NonceLength];
        BuildNonce(counter, nonce);
        var ad = AssociatedData(packet[..8], associatedData, stackalloc byte[AdStackLimit]);
        lock (_receiveLock)
        {
            if (!_window.IsFresh(counter)) throw new CryptoProtocolException(CryptoFailure.Replayed, "packet counter already seen or too old");
            try
            {
                _receive.Decrypt(nonce, packet.Slice(8, length), packet.Slice(8 + length, Aead.TagLength), destination[..length], ad);
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new CryptoProtocolException(CryptoFailure.AuthenticationFailed, "packet tag mismatch", e);
            }
            _window.Accept(counter);
        }
        return length;
    }

    private const int AdStackLimit = 64;

    private static ReadOnlySpan<byte> AssociatedData(ReadOnlySpan<byte> counter, ReadOnlySpan<byte> callerData, Span<byte> scratch)
    {
        var total = counter.Length + callerData.Length;
        var buffer = total <= scratch.Length ? scratch[..total] : new byte[total];
        counter.CopyTo(buffer);
        callerData.CopyTo(buffer[counter.Length..]);
        return buffer;
    }

    private static void BuildNonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }
}
