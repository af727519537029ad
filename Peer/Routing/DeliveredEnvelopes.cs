// Which PM envelopes already arrived (over a link or through the server): the receiver's duplicate filter.
using System.Security.Cryptography;

namespace P2PChat.Peer.Routing;

/// <summary>
/// A message whose link send was not acknowledged in time goes through the server too, with the very same envelope
/// (never re-encrypted): if the link did deliver it, the receiver gets it twice. Both paths ask here first, before
/// decrypting (a second decrypt of one envelope would be refused by the ratchet as a replay), and drop what was seen.
/// The id is the envelope's SHA-256 (first 16 bytes) per sender; the last <see cref="Capacity"/> are remembered.
/// </summary>
public sealed class DeliveredEnvelopes
{
    public const int Capacity = 4096;
    private readonly HashSet<(string, UInt128)> _seen = [];
    private readonly Queue<(string, UInt128)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>True the first time <paramref name="envelope"/> from <paramref name="from"/> is seen.</summary>
    public bool FirstSight(string from, ReadOnlySpan<byte> envelope)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(envelope, hash);
        var key = (from.ToLowerInvariant(), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash));
        lock (_gate)
        {
            if (!_seen.Add(key)) return false;
            _order.Enqueue(key);
            if (_order.Count > Capacity) _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
