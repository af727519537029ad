// Bounds-checked, forward-only big-endian reader over a span (no I/O, no allocation unless asked): every fixed layout's decoder.
using System.Buffers.Binary;

namespace P2PChat.Core.Bytes;

/// <summary>
/// Reads the fixed, big-endian layouts of the crypto formats and the peer's stored records. A short read, trailing
/// bytes or an invalid value throw what the reader's <see cref="MalformedInput"/> makes (one convention for every
/// layer; <see cref="MalformedInputException"/> by default).
/// </summary>
public ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly MalformedInput _malformed;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data, MalformedInput? malformed = null)
    {
        _data = data;
        _malformed = malformed ?? MalformedInputException.Throw;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);
    public byte[] ReadArray(int count) => Take(count).ToArray();
    /// <summary>u16 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> ReadBlob16() => Take(ReadUInt16());

    /// <summary>A presence flag: 0 or 1, anything else is malformed.</summary>
    public bool ReadFlag() => ReadByte() switch
    {
        0 => false,
        1 => true,
        _ => throw _malformed(MalformedKind.InvalidValue, "flag byte must be 0 or 1"),
    };

    public ReadOnlySpan<byte> ReadRest() => Take(Remaining);

    /// <summary>Nothing may follow the last field of <paramref name="what"/>.</summary>
    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0) throw _malformed(MalformedKind.TrailingBytes, $"{what}: {Remaining} trailing bytes");
    }

    /// <summary>The error this reader throws, for checks its caller makes on a value it read.</summary>
    public readonly Exception Malformed(MalformedKind kind, string message) => _malformed(kind, message);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining) throw _malformed(MalformedKind.Truncated, "input too short");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
