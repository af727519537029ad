// QUIC-style variable-length integer codec (RFC 9000 §16) used by every frame field.
using System.Buffers.Binary;

namespace P2PChat.Core.Bytes;

/// <summary>
/// Encodes unsigned integers up to 2^62-1 in 1, 2, 4 or 8 bytes, big-endian.
/// The two top bits of the first byte give the length: 00 = 1 byte (6 bits), 01 = 2 bytes (14 bits),
/// 10 = 4 bytes (30 bits), 11 = 8 bytes (62 bits).
/// </summary>
public static class VarInt
{
    public const ulong Max = (1UL << 62) - 1;

    public static int SizeOf(ulong value) => value switch
    {
        < 1UL << 6 => 1,
        < 1UL << 14 => 2,
        < 1UL << 30 => 4,
        <= Max => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(value), "varint values are limited to 62 bits"),
    };

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        switch (SizeOf(value))
        {
            case 1: destination[0] = (byte)value; return 1;
            case 2: BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000)); return 2;
            case 4: BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000u); return 4;
            default: BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xC000_0000_0000_0000UL); return 8;
        }
    }

    /// <summary>Reads a varint from the start of <paramref name="source"/>; false when it is truncated.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int length)
    {
        value = 0;
        length = 0;
        if (source.IsEmpty) return false;
        int size = 1 << (source[0] >> 6);
        if (source.Length < size) return false;
        length = size;
        value = size switch
        {
            1 => (ulong)(source[0] & 0x3F),
            2 => (ulong)(BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3FFF),
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3FFF_FFFFu,
            _ => BinaryPrimitives.ReadUInt64BigEndian(source) & 0x3FFF_FFFF_FFFF_FFFFUL,
        };
        return true;
    }
}
