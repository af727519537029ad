// Forward-only reader over a byte span for the packet and frame parsers (no I/O, no allocation).
using System.Buffers.Binary;

namespace P2PChat.Core.Transport.Wire;

/// <summary>Reads big-endian integers, varints and byte runs; every Try* leaves the position unchanged on failure.</summary>
internal ref struct SpanReader(ReadOnlySpan<byte> buffer)
{
    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; private set; }
    public readonly int Remaining => _buffer.Length - Position;
    public readonly bool End => Position >= _buffer.Length;

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (Remaining < 1) return false;
        value = _buffer[Position++];
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (Remaining < 8) return false;
        value = BinaryPrimitives.ReadUInt64BigEndian(_buffer[Position..]);
        Position += 8;
        return true;
    }

    public bool TryReadVarInt(out ulong value)
    {
        if (!VarInt.TryRead(_buffer[Position..], out value, out int length)) return false;
        Position += length;
        return true;
    }

    /// <summary>Reads a varint that must fit a non-negative <see cref="long"/> no larger than <paramref name="max"/>.</summary>
    public bool TryReadVarInt(long max, out long value)
    {
        value = 0;
        int start = Position;
        if (!TryReadVarInt(out ulong raw)) return false;
        if (raw > (ulong)max) { Position = start; return false; }
        value = (long)raw;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (count < 0 || Remaining < count) return false;
        bytes = _buffer.Slice(Position, count);
        Position += count;
        return true;
    }
}
