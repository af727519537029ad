// Pure codec of the TCP path's length-prefixed frames.
using P2PChat.Core.Bytes;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport.Tcp;

/// <summary>
/// Every frame on the TCP path: type (1 byte) | stream id (varint) | payload length N (varint, ≤ 1 MiB) | N bytes.
/// <code>
/// 0x01 STREAM    payload = stream bytes, in order
/// 0x02 FIN       no payload: the sender completed its writes on the stream
/// 0x03 WINDOW    payload = varint: bytes of extra credit for the stream (each stream starts with 1 MiB)
/// 0x04 DATAGRAM  stream id 0, payload = the datagram (delivered reliably here, since TCP is)
/// 0x05 CLOSE     stream id 0, payload = varint error code (0 = graceful, after all data was written)
/// 0x06 SEALED    stream id slot = sealed-frame number (0, 1, 2, … per direction, never reset),
///                payload = one inner frame (any type but SEALED) protected by the connection's IPacketProtector
/// </code>
/// SEALED frame (see <see cref="TcpFrameProtection"/>), with the AES-GCM protector as example:
/// <code>
/// 0x06 | number (varint) | N (varint)            clear outer header, authenticated as associated data
/// protector framing of N bytes:                  N = inner length + protector overhead (24 for AES-GCM)
///     masked sequence (8) | ciphertext of (inner type | inner stream id | inner length | inner payload) | tag (16)
/// </code>
/// Stream ids follow the UDP transport: even for the connecting side, odd for the accepting side.
/// </summary>
internal static class TcpFrameCodec
{
    public const byte Stream = 0x01, Fin = 0x02, Window = 0x03, Datagram = 0x04, Close = 0x05, Sealed = 0x06;
    public const int MaxPayload = 1 << 20;
    public const int MaxHeaderLength = 1 + 8 + 8;
    public const long InitialStreamCredit = 1 << 20;

    public static int WriteHeader(Span<byte> destination, byte type, long streamId, int payloadLength)
    {
        var writer = new SpanWriter(destination);
        writer.WriteByte(type);
        writer.WriteVarInt(streamId);
        writer.WriteVarInt((long)payloadLength);
        return writer.Position;
    }

    /// <summary>
    /// Parses one frame header. Returns false with <paramref name="malformed"/> = false when more bytes are needed,
    /// and false with it true for a frame that can never be valid.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> buffer, out byte type, out long streamId, out int payloadLength, out int headerLength, out bool malformed)
    {
        type = 0;
        streamId = 0;
        payloadLength = headerLength = 0;
        malformed = false;
        var reader = new ByteReader(buffer);
        if (!reader.TryReadByte(out type) || !reader.TryReadVarInt((long)VarInt.Max, out streamId) || !reader.TryReadVarInt((long)VarInt.Max, out long length))
            return false;
        if (type is < Stream or > Sealed || length > MaxPayload)
        {
            malformed = true;
            return false;
        }
        payloadLength = (int)length;
        headerLength = reader.Position;
        return true;
    }
}
