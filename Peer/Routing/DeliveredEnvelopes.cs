// Which PM envelopes arrived over a link and which through the server: the filter for a fallback's second copy.
using System.Security.Cryptography;

namespace P2PChat.Peer.Routing;

/// <summary>
/// A message whose link send was not acknowledged in time goes through the server too, with the very same envelope
/// (never re-encrypted): if the link did deliver it, the receiver gets it twice, once by each route. Each route asks
/// here before decrypting (a second decrypt of one envelope would be refused by the ratchet as a replay) and the copy
/// the <b>other</b> route already delivered is dropped silently. A copy repeated on the <b>same</b> route is not this
/// filter's business: it goes on to the ratchet, which reports a replay (a server replaying a MSG is an attack to
/// report). The id is the envelope's SHA-256 (first 16 bytes) per sender; the last <see cref="Capacity"/> of each
/// route are remembered.
/// </summary>
public sealed class DeliveredEnvelopes
{
    public const int Capacity = 4096;
    private readonly Window _link = new();
    private readonly Window _server = new();
    private readonly Lock _gate = new();

    /// <summary>Records an arrival; false when the other route delivered the same envelope from the same sender already.</summary>
    public bool Arrived(string from, ReadOnlySpan<byte> envelope, bool viaLink)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(envelope, hash);
        var key = (from.ToLowerInvariant(), System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash));
        var (mine, other) = viaLink ? (_link, _server) : (_server, _link);
        lock (_gate)
        {
            if (other.Contains(key)) return false;
            mine.Add(key);
            return true;
        }
    }

    private sealed class Window
    {
        private readonly HashSet<(string, UInt128)> _seen = [];
        private readonly Queue<(string, UInt128)> _order = new();

        public bool Contains((string, UInt128) key) => _seen.Contains(key);

        public void Add((string, UInt128) key)
        {
            if (!_seen.Add(key)) return;
            _order.Enqueue(key);
            if (_order.Count > Capacity) _seen.Remove(_order.Dequeue());
        }
    }
}
