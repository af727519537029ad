// A bounds-checked big-endian reader over a span for the peer's stored key records (no I/O; malformed input throws).
using System.Buffers.Binary;
using P2PChat.Core.Crypto;

namespace P2PChat.Peer.E2e;

public ref struct SpanCursor(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || count > _rest.Length) throw new CryptoProtocolException(CryptoFailure.Malformed, "stored key record is truncated");
        var bytes = _rest[..count];
        _rest = _rest[count..];
        return bytes;
    }

    public byte Byte() => Bytes(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));
    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Bytes(4));
    public long I64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));
    /// <summary>u16 length, then that many bytes.</summary>
    public ReadOnlySpan<byte> Blob() => Bytes(U16());

    public readonly void End()
    {
        if (!_rest.IsEmpty) throw new CryptoProtocolException(CryptoFailure.Malformed, "stored key record has trailing bytes");
    }
}
