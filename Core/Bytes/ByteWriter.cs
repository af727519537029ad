// Growable big-endian writer for the crypto formats and the peer's stored records; wipes its buffer once the bytes are taken.
using System.Buffers;
using System.Buffers.Binary;

namespace P2PChat.Core.Bytes;

/// <summary>The writing half of <see cref="ByteReader"/>: the same fields, big-endian.</summary>
public sealed class ByteWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public ByteWriter(int initialCapacity = 256) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    public int Length => _buffer.WrittenCount;

    public ByteWriter Byte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
        return this;
    }

    public ByteWriter Flag(bool value) => Byte(value ? (byte)1 : (byte)0);

    public ByteWriter UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
        return this;
    }

    public ByteWriter UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public ByteWriter UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    public ByteWriter Int64(long value) => UInt64((ulong)value);

    /// <summary>u16 length (at most 65,535, else <see cref="OverflowException"/>), then the bytes.</summary>
    public ByteWriter Blob16(ReadOnlySpan<byte> value) => UInt16(checked((ushort)value.Length)).Bytes(value);

    public ByteWriter Bytes(ReadOnlySpan<byte> value)
    {
        _buffer.Write(value);
        return this;
    }

    /// <summary>Copies the written bytes out and wipes the internal buffer (it may have held secrets).</summary>
    public byte[] ToArray()
    {
        var result = _buffer.WrittenSpan.ToArray();
        _buffer.Clear();
        return result;
    }
}
