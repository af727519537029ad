// Writes the peer's stored key records: big-endian integers and u16-length-prefixed blobs (read back by SpanCursor).
using System.Buffers.Binary;

namespace P2PChat.Peer.E2e;

public static class RecordWriter
{
    public static void WriteU16(this Stream s, int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, checked((ushort)value));
        s.Write(b);
    }

    public static void WriteU32(this Stream s, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        s.Write(b);
    }

    public static void WriteI64(this Stream s, long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        s.Write(b);
    }

    /// <summary>u16 length, then the bytes.</summary>
    public static void WriteBlob(this Stream s, ReadOnlySpan<byte> blob)
    {
        s.WriteU16(blob.Length);
        s.Write(blob);
    }
}
