// Field writers to an IBufferWriter<byte>: the protocol's primitive wire fields (the writing half of WireReader).
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace P2PChat.Core.Bytes;

/// <summary>Writes big-endian integers and length-prefixed fields; refuses values that do not fit their length prefix (the protocol adds tags).</summary>
public readonly ref struct WireWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _out = output;

    public void U8(byte v) { _out.GetSpan(1)[0] = v; _out.Advance(1); }
    public void Bool(bool v) => U8(v ? (byte)1 : (byte)0);
    public void U16(ushort v) { BinaryPrimitives.WriteUInt16BigEndian(_out.GetSpan(2), v); _out.Advance(2); }
    public void U32(uint v) { BinaryPrimitives.WriteUInt32BigEndian(_out.GetSpan(4), v); _out.Advance(4); }
    public void I64(long v) { BinaryPrimitives.WriteInt64BigEndian(_out.GetSpan(8), v); _out.Advance(8); }
    public void U64(ulong v) => I64((long)v);

    public void Str8(string s) { U8((byte)Fit(Encoding.UTF8.GetByteCount(s), byte.MaxValue)); Raw(s); }
    public void Str16(string s) { U16((ushort)Fit(Encoding.UTF8.GetByteCount(s), ushort.MaxValue)); Raw(s); }

    public void Raw(string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        Encoding.UTF8.GetBytes(s, _out.GetSpan(n));
        _out.Advance(n);
    }

    public void Raw(ReadOnlySpan<byte> bytes) { bytes.CopyTo(_out.GetSpan(bytes.Length)); _out.Advance(bytes.Length); }
    public void Bytes16(ReadOnlySpan<byte> b) { U16((ushort)Fit(b.Length, ushort.MaxValue)); Raw(b); }
    public void Bytes32(ReadOnlySpan<byte> b) { U32((uint)b.Length); Raw(b); }

    private static int Fit(int length, int max) => length <= max
        ? length
        : throw new ArgumentException($"a field of {length} bytes does not fit a length prefix of at most {max}");
}
