// The message a group member sends each other member (inside a pairwise session) to hand over its current sender key.
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Groups;

/// <summary>
/// Byte layout (106 bytes):
/// <code>version 0x01 (1) | key id u32 BE (4) | iteration u32 BE (4) | chain key at that iteration (32) | signing public key (65)</code>
/// The receiver can derive message keys from <c>iteration</c> on, never earlier ones: a newcomer gets the chain as it is now.
/// Only ever send it encrypted through a <see cref="PairwiseSession"/>; it is a secret.
/// </summary>
public sealed record SenderKeyDistribution(uint KeyId, uint Iteration, ReadOnlyMemory<byte> ChainKey, ReadOnlyMemory<byte> SigningKey)
{
    public const int EncodedLength = 1 + 4 + 4 + 32 + P256.PublicKeyLength;
    private const byte Version = 0x01;

    public byte[] Encode() => new ByteWriter(EncodedLength).Byte(Version).UInt32(KeyId).UInt32(Iteration)
        .Bytes(ChainKey.Span).Bytes(SigningKey.Span).ToArray();

    public static SenderKeyDistribution Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new ByteReader(encoded);
        reader.ExpectVersion(Version, "sender key distribution");
        var keyId = reader.ReadUInt32();
        var iteration = reader.ReadUInt32();
        var chainKey = reader.ReadArray(Kdf.KeyLength);
        var signingKey = reader.ReadArray(P256.PublicKeyLength);
        reader.ExpectEnd("sender key distribution");
        P256.ValidatePublic(signingKey);
        return new SenderKeyDistribution(keyId, iteration, chainKey, signingKey);
    }
}
