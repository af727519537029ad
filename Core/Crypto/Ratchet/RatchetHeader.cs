// The Double Ratchet message header: sender's current ratchet public key and the two message counters (73 bytes).
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// Byte layout (73 bytes):
/// <code>ratchet public key (65) | PN: length of the sender's previous sending chain, u32 BE (4) | N: message number in this chain, u32 BE (4)</code>
/// Sent in clear, authenticated as AEAD associated data.
/// </summary>
internal readonly record struct RatchetHeader(byte[] RatchetKey, uint PreviousChainLength, uint MessageNumber)
{
    public const int EncodedLength = P256.PublicKeyLength + 4 + 4;

    public byte[] Encode() =>
        new ByteWriter(EncodedLength).Bytes(RatchetKey).UInt32(PreviousChainLength).UInt32(MessageNumber).ToArray();

    /// <summary>Reads the layout only; the point is validated when it is first used in ECDH.</summary>
    public static RatchetHeader Read(ref ByteReader reader)
    {
        var key = reader.ReadArray(P256.PublicKeyLength);
        if (key[0] != 0x04) throw new CryptoProtocolException(CryptoFailure.InvalidKey, "ratchet key must be an uncompressed point");
        return new RatchetHeader(key, reader.ReadUInt32(), reader.ReadUInt32());
    }
}
