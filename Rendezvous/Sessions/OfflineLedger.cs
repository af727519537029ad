// The stored-message ids one connection has queued, in wire order, until the client acknowledges them.
namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Offline (stored) messages leave a session in queue order, which is not id order: a message pushed while its
/// recipient signs in may overtake one with a lower id. OFFLINE_ACK x therefore means "everything this connection
/// queued up to and including the first time it queued x", never "every id ≤ x".
/// <code>
///   queued:  [12] [10] [13] [10]        (the second 10 is a duplicate push of a message the burst also carried)
///   ack 10 → takes 12, 10               (the first 10 is the one the client can have seen first)
///   ack 13 → takes 13, 10
///   ack 99 → takes nothing              (never queued here: ignored)
/// </code>
/// Not thread-safe: its owner (<see cref="OutgoingQueue"/>) appends and takes under the lock it queues frames with.
/// </summary>
public sealed class OfflineLedger
{
    private readonly List<long> _queued = [];

    public int Count => _queued.Count;

    /// <summary>Records that the stored message <paramref name="id"/> was queued after everything recorded before.</summary>
    public void Append(long id) => _queued.Add(id);

    /// <summary>Removes and returns the distinct ids queued up to and including the first <paramref name="ackedId"/>;
    /// empty when <paramref name="ackedId"/> was never queued (or was taken already).</summary>
    public IReadOnlyCollection<long> TakeThrough(long ackedId)
    {
        var at = _queued.IndexOf(ackedId);
        if (at < 0) return [];
        var taken = new HashSet<long>(_queued.Take(at + 1));
        _queued.RemoveRange(0, at + 1);
        return taken;
    }
}
