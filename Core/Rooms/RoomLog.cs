// A member's view of the room's history: exactly-once by message id, the recent window for resync, its own outbox.
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// Delivery is exactly once: an entry whose id was seen is a duplicate, whichever host delivered it (after a handoff
/// or a failover the new host may deliver again what the old one did). The last <see cref="Window"/> entries are kept
/// so a new host can be given everything one member saw (resync); the outbox holds this member's own posts until a
/// host delivers them back (the delivery is the acknowledgement), and is resent in full to every new host.
/// Limits: ids are remembered for the last <see cref="SeenCapacity"/> entries.
/// </summary>
public sealed class RoomLog
{
    public const int Window = 1024;
    public const int SeenCapacity = 65536;
    private readonly HashSet<RoomMessageId> _seen = [];
    private readonly Queue<RoomMessageId> _seenOrder = new();
    private readonly LinkedList<RoomEntry> _recent = new();
    private readonly SortedDictionary<ulong, RoomEntry> _outbox = [];
    private readonly Lock _gate = new();

    public RoomLog(Tag me, ulong nextSequence = 1)
    {
        Me = me;
        NextSequence = nextSequence;
    }

    public Tag Me { get; }
    public ulong NextSequence { get; private set; }
    public uint LastEpoch { get; private set; }
    public ulong LastOrder { get; private set; }

    /// <summary>Numbers a new post of ours and keeps it until a host delivers it.</summary>
    public RoomEntry Post(byte[] ciphertext)
    {
        lock (_gate)
        {
            var entry = new RoomEntry(new RoomMessageId(Me, NextSequence++), ciphertext);
            _outbox[entry.Id.Sequence] = entry;
            return entry;
        }
    }

    /// <summary>Our posts no host has delivered back yet, oldest first.</summary>
    public IReadOnlyList<RoomEntry> Unacknowledged
    {
        get { lock (_gate) return [.. _outbox.Values]; }
    }

    /// <summary>The recent entries, oldest first: what a member gives a new host.</summary>
    public IReadOnlyList<RoomEntry> Recent
    {
        get { lock (_gate) return [.. _recent]; }
    }

    /// <summary>Whether an entry with this id was not yet accepted.</summary>
    public bool IsNew(RoomMessageId id)
    {
        lock (_gate) return !_seen.Contains(id);
    }

    /// <summary>Takes a delivery: true when it is new (show it), false for a duplicate. Acknowledges our own post.</summary>
    public bool Accept(RoomDelivery delivery)
    {
        lock (_gate)
        {
            if (delivery.Epoch > LastEpoch || delivery.Epoch == LastEpoch && delivery.Order > LastOrder)
                (LastEpoch, LastOrder) = (delivery.Epoch, delivery.Order);
            var id = delivery.Entry.Id;
            if (id.Sender == Me) _outbox.Remove(id.Sequence);
            if (!_seen.Add(id)) return false;
            _seenOrder.Enqueue(id);
            if (_seenOrder.Count > SeenCapacity) _seen.Remove(_seenOrder.Dequeue());
            _recent.AddLast(delivery.Entry);
            if (_recent.Count > Window) _recent.RemoveFirst();
            return true;
        }
    }

    /// <summary>
    /// A log as it was saved (docs/rooms.md §10): the next sequence, the last position delivered, the recent window
    /// (whose ids count as seen) and the outbox, so a restarted member neither reuses a sequence nor shows again what
    /// it showed before, and still resends what no host delivered.
    /// </summary>
    public static RoomLog Restore(Tag me, ulong nextSequence, uint lastEpoch, ulong lastOrder, IEnumerable<RoomEntry> recent, IEnumerable<RoomEntry> outbox)
    {
        var log = new RoomLog(me, nextSequence) { LastEpoch = lastEpoch, LastOrder = lastOrder };
        foreach (var entry in recent.TakeLast(Window))
        {
            if (!log._seen.Add(entry.Id)) continue;
            log._seenOrder.Enqueue(entry.Id);
            log._recent.AddLast(entry);
        }
        foreach (var entry in outbox.Where(e => e.Id.Sender == me && e.Id.Sequence < nextSequence)) log._outbox[entry.Id.Sequence] = entry;
        return log;
    }

    /// <summary>
    /// We joined a rival host's room (split brain healed): our position was counted in the losing host's order, which
    /// shares the epoch number with the winner's but not its positions, so it says nothing about what the winner has.
    /// Forgetting it makes the winner send its whole log on the next HELLO; what we already saw is dropped as a
    /// duplicate by id.
    /// </summary>
    public void ForgetPosition()
    {
        lock (_gate) (LastEpoch, LastOrder) = (0, 0);
    }

    /// <summary>A new host epoch starts: positions are counted afresh.</summary>
    public void NewEpoch(uint epoch)
    {
        lock (_gate)
        {
            if (epoch > LastEpoch) (LastEpoch, LastOrder) = (epoch, 0);
        }
    }
}
