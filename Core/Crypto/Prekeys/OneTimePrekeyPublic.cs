// The public half of a one-time prekey as uploaded to the server, which hands each out once (69 bytes).
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>Byte layout (69 bytes): <code>id u32 BE (4) | public key (65)</code></summary>
public sealed record OneTimePrekeyPublic(uint Id, ReadOnlyMemory<byte> PublicKey)
{
    public const int EncodedLength = 4 + P256.PublicKeyLength;

    public byte[] Encode() => new ByteWriter(EncodedLength).UInt32(Id).Bytes(PublicKey.Span).ToArray();

    public static OneTimePrekeyPublic Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new ByteReader(encoded);
        var result = Read(ref reader);
        reader.ExpectEnd("one-time prekey");
        return result;
    }

    internal static OneTimePrekeyPublic Read(ref ByteReader reader)
    {
        var id = reader.ReadUInt32();
        var key = reader.ReadArray(P256.PublicKeyLength);
        P256.ValidatePublic(key);
        return new OneTimePrekeyPublic(id, key);
    }
}
