// The message a group member sends each other member (inside a pairwise session) to hand over its current sender key.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Groups;

/// <summary>
/// Byte layout (73 bytes):
/// <code>suite 0x02 (1) | key id u32 BE (4) | iteration u32 BE (4) | chain key at that iteration (32) | Ed25519 signing public key (32)</code>
/// The receiver can derive message keys from <c>iteration</c> on, never earlier ones: a newcomer gets the chain as it is now.
/// Only ever send it encrypted through a <see cref="PairwiseSession"/>; it is a secret.
/// </summary>
public sealed record SenderKeyDistribution(uint KeyId, uint Iteration, ReadOnlyMemory<byte> ChainKey, ReadOnlyMemory<byte> SigningKey)
{
    public const int EncodedLength = 1 + 4 + 4 + 32 + SigningKeyPair.PublicKeyLength;

    public byte[] Encode() => new ByteWriter(EncodedLength).Byte(CryptoSuite.Current).UInt32(KeyId).UInt32(Iteration)
        .Bytes(ChainKey.Span).Bytes(SigningKey.Span).ToArray();

    public static SenderKeyDistribution Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = CryptoBytes.Reader(encoded);
        reader.ExpectSuite("sender key distribution");
        var keyId = reader.ReadUInt32();
        var iteration = reader.ReadUInt32();
        var chainKey = reader.ReadArray(Kdf.KeyLength);
        var signingKey = reader.ReadArray(SigningKeyPair.PublicKeyLength);
        reader.ExpectEnd("sender key distribution");
        SigningKeyPair.ValidatePublic(signingKey);
        return new SenderKeyDistribution(keyId, iteration, chainKey, signingKey);
    }
}
