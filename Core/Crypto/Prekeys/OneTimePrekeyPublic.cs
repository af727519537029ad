// The public half of a one-time prekey as uploaded to the server, which hands each out once (37 bytes).
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Prekeys;

/// <summary>Byte layout (37 bytes): <code>suite 0x02 (1) | id u32 BE (4) | X25519 public key (32)</code></summary>
public sealed record OneTimePrekeyPublic(uint Id, ReadOnlyMemory<byte> PublicKey)
{
    public const int EncodedLength = 1 + 4 + AgreementKeyPair.PublicKeyLength;

    public byte[] Encode() => new ByteWriter(EncodedLength).Byte(CryptoSuite.Current).UInt32(Id).Bytes(PublicKey.Span).ToArray();

    public static OneTimePrekeyPublic Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = CryptoBytes.Reader(encoded);
        var result = Read(ref reader);
        reader.ExpectEnd("one-time prekey");
        return result;
    }

    internal static OneTimePrekeyPublic Read(ref ByteReader reader)
    {
        reader.ExpectSuite("one-time prekey");
        var id = reader.ReadUInt32();
        var key = reader.ReadArray(AgreementKeyPair.PublicKeyLength);
        AgreementKeyPair.ValidatePublic(key);
        return new OneTimePrekeyPublic(id, key);
    }
}
