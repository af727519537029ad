// Fixed-span big-endian writer for the transport's packet and frame encoders (the caller owns the buffer; ByteWriter grows its own).
using System.Buffers.Binary;

namespace P2PChat.Core.Bytes;

/// <summary>Writes big-endian integers, varints and byte runs; callers check <see cref="Remaining"/> first.</summary>
public ref struct SpanWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;

    public int Position { get; set; }
    public readonly int Remaining => _buffer.Length - Position;
    public readonly Span<byte> Written => _buffer[..Position];

    public void WriteByte(byte value) => _buffer[Position++] = value;

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[Position..], value);
        Position += 8;
    }

    public void WriteVarInt(ulong value) => Position += VarInt.Write(_buffer[Position..], value);

    public void WriteVarInt(long value) => WriteVarInt((ulong)value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes to be filled later (e.g. by a copy straight from a stream buffer).</summary>
    public Span<byte> Reserve(int count)
    {
        var span = _buffer.Slice(Position, count);
        Position += count;
        return span;
    }
}
