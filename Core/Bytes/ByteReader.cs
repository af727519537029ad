// Bounds-checked, forward-only big-endian reader over a span (no I/O, no allocation unless asked): every fixed layout's decoder.
using System.Buffers.Binary;

namespace P2PChat.Core.Bytes;

/// <summary>
/// The one reader of Core's binary layouts: protocol frames' fixed parts, the crypto formats, the peer's stored
/// records, files, rooms and the transport's packets. One convention, two forms of each read:
/// <list type="bullet">
/// <item><c>Read*</c>: a short read, trailing bytes or an invalid value throw what the reader's
/// <see cref="MalformedInput"/> makes (<see cref="MalformedInputException"/> by default) — for formats whose caller
/// reports the fault.</item>
/// <item><c>TryRead*</c>: the same reads returning false instead, with the position unchanged — for the transport's
/// packet parsers, which drop a bad packet silently, so a flood of malformed packets never costs an exception each.</item>
/// </list>
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
    public readonly bool End => _position >= _data.Length;

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

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (Remaining < 1) return false;
        value = _data[_position++];
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (Remaining < 8) return false;
        value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return true;
    }

    /// <summary>A QUIC varint (<see cref="VarInt"/>).</summary>
    public bool TryReadVarInt(out ulong value)
    {
        if (!VarInt.TryRead(_data[_position..], out value, out int length)) return false;
        _position += length;
        return true;
    }

    /// <summary>A varint that must fit a non-negative <see cref="long"/> no larger than <paramref name="max"/>.</summary>
    public bool TryReadVarInt(long max, out long value)
    {
        value = 0;
        int start = _position;
        if (!TryReadVarInt(out ulong raw)) return false;
        if (raw > (ulong)max) { _position = start; return false; }
        value = (long)raw;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (count < 0 || Remaining < count) return false;
        bytes = _data.Slice(_position, count);
        _position += count;
        return true;
    }

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
