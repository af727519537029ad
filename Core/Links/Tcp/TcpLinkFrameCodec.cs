// Pure codec of link datagrams framed over a TCP connection (RFC 4571 style): a preamble, then length-prefixed frames.
using System.Buffers;
using System.Buffers.Binary;

namespace P2PChat.Core.Links.Tcp;

/// <summary>What <see cref="TcpLinkFrameCodec"/> found at the front of the received bytes.</summary>
public enum TcpLinkReadStatus
{
    /// <summary>A whole preamble or frame was read and consumed.</summary>
    Read,
    /// <summary>Not enough bytes yet: nothing consumed.</summary>
    NeedMore,
    /// <summary>The bytes can never become a valid preamble or frame: close this connection (with the reason).</summary>
    Malformed,
}

/// <summary>
/// Each direction of a link's TCP connection carries, in order:
/// <code>
/// preamble, once:  0x50 0x32 0x4C 0x54 ("P2LT") | u8 version = 1                       5 bytes
/// then frames:     u16 length N (big-endian, 1 ≤ N ≤ MaxDatagram = 16384) | N bytes   one datagram each
/// </code>
/// A datagram is exactly what the UDP path would carry: a 64-byte check packet (0xC1/0xC2) or a transport packet; the
/// framing adds nothing else (RFC 4571's framing, as RFC 6544 uses for ICE-TCP). Both sides send the preamble first,
/// whoever connected (with a simultaneous open neither side is the client). Malformed, and the connection is closed
/// with the reason (no answer is sent): another preamble or version, a frame of length 0, a frame longer than
/// <see cref="MaxDatagram"/>. No I/O here; the caller owns buffers and sockets.
/// </summary>
public static class TcpLinkFrameCodec
{
    public const int PreambleLength = 5;
    public const byte Version = 1;
    public const int LengthPrefix = 2;
    /// <summary>The largest datagram carried (transport packets grown by path MTU discovery stay well below it).</summary>
    public const int MaxDatagram = 16384;
    public const int MaxFrame = LengthPrefix + MaxDatagram;

    private static ReadOnlySpan<byte> Magic => "P2LT"u8;

    public static void WritePreamble(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
    }

    /// <summary>Writes one frame; returns its length (<see cref="LengthPrefix"/> + the datagram's).</summary>
    /// <exception cref="ArgumentException">an empty datagram, one over <see cref="MaxDatagram"/>, or too small a destination.</exception>
    public static int WriteFrame(ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        if (datagram.Length is 0 or > MaxDatagram) throw new ArgumentException($"a framed datagram is 1 to {MaxDatagram} bytes (got {datagram.Length})", nameof(datagram));
        if (destination.Length < LengthPrefix + datagram.Length) throw new ArgumentException("destination too small", nameof(destination));
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)datagram.Length);
        datagram.CopyTo(destination[LengthPrefix..]);
        return LengthPrefix + datagram.Length;
    }

    public static TcpLinkReadStatus TryReadPreamble(ref SequenceReader<byte> reader, out string? error)
    {
        error = null;
        if (reader.Remaining < PreambleLength)
        {
            // Reject a wrong start as early as its first differing byte, so a stray client is dropped at once.
            Span<byte> partial = stackalloc byte[PreambleLength];
            int have = (int)reader.Remaining;
            reader.TryCopyTo(partial[..have]);
            if (!Magic[..Math.Min(have, Magic.Length)].SequenceEqual(partial[..Math.Min(have, Magic.Length)]))
            {
                error = "not a P2PChat link connection (bad preamble)";
                return TcpLinkReadStatus.Malformed;
            }
            return TcpLinkReadStatus.NeedMore;
        }
        Span<byte> preamble = stackalloc byte[PreambleLength];
        reader.TryCopyTo(preamble);
        if (!preamble[..4].SequenceEqual(Magic)) { error = "not a P2PChat link connection (bad preamble)"; return TcpLinkReadStatus.Malformed; }
        if (preamble[4] != Version) { error = $"unsupported link framing version {preamble[4]}"; return TcpLinkReadStatus.Malformed; }
        reader.Advance(PreambleLength);
        return TcpLinkReadStatus.Read;
    }

    /// <summary>Reads one frame: on <see cref="TcpLinkReadStatus.Read"/>, <paramref name="datagram"/> is its payload (a
    /// slice of the reader's sequence, valid until the caller releases it) and the reader is past it.</summary>
    public static TcpLinkReadStatus TryReadFrame(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> datagram, out string? error)
    {
        datagram = default;
        error = null;
        if (!reader.TryReadBigEndian(out short raw)) return TcpLinkReadStatus.NeedMore;
        int length = (ushort)raw;
        if (length == 0 || length > MaxDatagram)
        {
            reader.Rewind(LengthPrefix);
            error = length == 0 ? "empty frame" : $"frame of {length} bytes (at most {MaxDatagram})";
            return TcpLinkReadStatus.Malformed;
        }
        if (reader.Remaining < length)
        {
            reader.Rewind(LengthPrefix);
            return TcpLinkReadStatus.NeedMore;
        }
        datagram = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return TcpLinkReadStatus.Read;
    }
}
