// The pluggable packet-protection layer: seals and opens the payload of every Data packet of one connection.
namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// One instance per connection and direction pair, built from a send key and a receive key (see
/// <see cref="AesGcmPacketProtector"/>). Both calls work in place on a whole datagram whose first
/// <c>headerLength</c> bytes are the clear header, which must be authenticated as associated data. Called under
/// the connection's lock, never concurrently.
/// </summary>
public interface IPacketProtector
{
    /// <summary>Bytes added around the plaintext (the payload grows by exactly this much).</summary>
    int Overhead { get; }

    /// <summary>
    /// Protects <c>packet[headerLength .. headerLength + Overhead + plaintextLength]</c>, where the plaintext has been
    /// written at <c>packet[headerLength + PlaintextOffset ..]</c>. Returns the total datagram length.
    /// </summary>
    int Protect(Span<byte> packet, int headerLength, int plaintextLength);

    /// <summary>Where the plaintext must be written, relative to the end of the header.</summary>
    int PlaintextOffset { get; }

    /// <summary>
    /// Authenticates and decrypts in place. On success the plaintext is <c>packet.Slice(plaintextStart, plaintextLength)</c>.
    /// Returns false for forged, corrupted or replayed packets, which the caller silently drops.
    /// </summary>
    bool TryUnprotect(Span<byte> packet, int headerLength, out int plaintextStart, out int plaintextLength);
}
