// Pure encoder/decoder of the three handshake packets: Initial, Retry and Accept.
using P2PChat.Core.Bytes;
using System.Security.Cryptography;

namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Byte layouts (all integers big-endian):
/// <code>
/// Initial  0 type=0x01 | 1 version=0x01 | 2..9 client connection id | 10 token length N (0..255) | 11.. token (N)
///          | integrity tag (8) | zero padding so that the datagram is at least 1200 bytes
/// Retry    0 type=0x02 | 1 version=0x01 | 2..9 client connection id | 10 token length N | 11.. token (N) | tag (8)
/// Accept   0 type=0x03 | 1 version=0x01 | 2..9 client connection id | 10..17 server connection id | tag (8)
/// </code>
/// The integrity tag is the first 8 bytes of SHA-256 over every byte before it. It only catches corruption
/// (anyone can compute it); authenticity comes from the cookie (Retry token) and, afterwards, from packet protection.
/// </summary>
internal static class HandshakeCodec
{
    public const byte Version = 0x01;
    public const int TagLength = 8;
    /// <summary>An Initial smaller than this is dropped, so the server's answers never exceed what it received.</summary>
    public const int MinInitialSize = 1200;
    public const int RetrySizeWithoutToken = 11 + TagLength;
    public const int AcceptSize = 18 + TagLength;

    public static int WriteInitial(Span<byte> destination, ulong clientId, ReadOnlySpan<byte> token)
    {
        int length = WriteWithToken(destination, PacketType.Initial, clientId, token);
        destination[length..MinInitialSize].Clear();
        return Math.Max(length, MinInitialSize);
    }

    public static int WriteRetry(Span<byte> destination, ulong clientId, ReadOnlySpan<byte> token) =>
        WriteWithToken(destination, PacketType.Retry, clientId, token);

    public static int WriteAccept(Span<byte> destination, ulong clientId, ulong serverId)
    {
        var writer = new SpanWriter(destination);
        writer.WriteByte((byte)PacketType.Accept);
        writer.WriteByte(Version);
        writer.WriteUInt64(clientId);
        writer.WriteUInt64(serverId);
        return AppendTag(destination, writer.Position);
    }

    /// <summary>Parses and checks a handshake datagram; false for anything malformed, corrupted or too small.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out HandshakePacket packet)
    {
        packet = default;
        var reader = new ByteReader(datagram);
        if (!reader.TryReadByte(out byte typeByte) || !reader.TryReadByte(out byte version) || version != Version) return false;
        if (!reader.TryReadUInt64(out ulong clientId)) return false;
        var type = (PacketType)typeByte;
        ulong serverId = 0;
        ReadOnlySpan<byte> token = default;
        switch (type)
        {
            case PacketType.Initial or PacketType.Retry:
                if (type == PacketType.Initial && datagram.Length < MinInitialSize) return false;
                if (!reader.TryReadByte(out byte tokenLength) || !reader.TryReadBytes(tokenLength, out token)) return false;
                break;
            case PacketType.Accept:
                if (!reader.TryReadUInt64(out serverId)) return false;
                break;
            default:
                return false;
        }
        int covered = reader.Position;
        if (!reader.TryReadBytes(TagLength, out var tag) || !TagMatches(datagram[..covered], tag)) return false;
        if (type != PacketType.Initial && !reader.End) return false;
        packet = new HandshakePacket(type, clientId, serverId, token);
        return true;
    }

    private static int WriteWithToken(Span<byte> destination, PacketType type, ulong clientId, ReadOnlySpan<byte> token)
    {
        if (token.Length > byte.MaxValue) throw new ArgumentException("token longer than 255 bytes", nameof(token));
        var writer = new SpanWriter(destination);
        writer.WriteByte((byte)type);
        writer.WriteByte(Version);
        writer.WriteUInt64(clientId);
        writer.WriteByte((byte)token.Length);
        writer.WriteBytes(token);
        return AppendTag(destination, writer.Position);
    }

    private static int AppendTag(Span<byte> destination, int covered)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(destination[..covered], hash);
        hash[..TagLength].CopyTo(destination[covered..]);
        return covered + TagLength;
    }

    private static bool TagMatches(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> tag)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(covered, hash);
        return hash[..TagLength].SequenceEqual(tag);
    }
}
