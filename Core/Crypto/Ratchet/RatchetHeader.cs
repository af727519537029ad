// The Double Ratchet message header: sender's current ratchet public key and the two message counters (40 bytes).
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Core.Crypto.Ratchet;

/// <summary>
/// Byte layout (40 bytes):
/// <code>ratchet public key (X25519, 32) | PN: length of the sender's previous sending chain, u32 BE (4) | N: message number in this chain, u32 BE (4)</code>
/// Sent in clear, authenticated as AEAD associated data.
/// </summary>
internal readonly record struct RatchetHeader(byte[] RatchetKey, uint PreviousChainLength, uint MessageNumber)
{
    public const int EncodedLength = AgreementKeyPair.PublicKeyLength + 4 + 4;

    public byte[] Encode() =>
        new ByteWriter(EncodedLength).Bytes(RatchetKey).UInt32(PreviousChainLength).UInt32(MessageNumber).ToArray();

    /// <summary>Reads the layout only; the key is validated when it is first used in X25519 (a low-order key is InvalidKey).</summary>
    public static RatchetHeader Read(ref ByteReader reader)
    {
        var key = reader.ReadArray(AgreementKeyPair.PublicKeyLength);
        return new RatchetHeader(key, reader.ReadUInt32(), reader.ReadUInt32());
    }
}
