// The peer's stored key records (held.bin, prekeys.bin, group-*.bin) read with Core.Bytes: damage is a crypto Malformed error.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Records are big-endian integers and u16-length-prefixed blobs (<see cref="ByteWriter.Blob16"/>), written with
/// <see cref="ByteWriter"/>. A truncated or over-long record throws <see cref="CryptoProtocolException"/> (Malformed),
/// which the key store already treats as a damaged file.
/// </summary>
internal static class StoredRecord
{
    private static readonly MalformedInput Damaged = static (kind, _) => new CryptoProtocolException(CryptoFailure.Malformed,
        kind == MalformedKind.TrailingBytes ? "stored key record has trailing bytes" : "stored key record is truncated");

    public static ByteReader Reader(ReadOnlySpan<byte> record) => new(record, Damaged);
}
