// Span cursor for the fixed, big-endian layouts of the crypto wire formats; a short read is a Malformed rejection.
using System.Buffers.Binary;

namespace P2PChat.Core.Crypto.Primitives;

internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));
    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);
    public byte[] ReadArray(int count) => Take(count).ToArray();

    /// <summary>A presence flag: 0 or 1, anything else is malformed.</summary>
    public bool ReadFlag() => ReadByte() switch
    {
        0 => false,
        1 => true,
        _ => throw new CryptoProtocolException(CryptoFailure.Malformed, "flag byte must be 0 or 1"),
    };

    public ReadOnlySpan<byte> ReadRest() => Take(Remaining);

    public void ExpectVersion(byte expected, string what)
    {
        if (ReadByte() != expected)
            throw new CryptoProtocolException(CryptoFailure.UnsupportedVersion, $"{what}: unknown version");
    }

    /// <summary>Reads the suite byte of a key or blob (see <see cref="CryptoSuite"/>); the retired P-256 suite is RetiredSuite.</summary>
    public void ExpectSuite(string what) => CryptoSuite.Expect(ReadByte(), what);

    public readonly void ExpectEnd(string what)
    {
        if (Remaining != 0)
            throw new CryptoProtocolException(CryptoFailure.Malformed, $"{what}: {Remaining} trailing bytes");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "input too short");
        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
