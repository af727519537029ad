// The host's side of ordering: one position per message id in its epoch, duplicates recognised, the log for catch-up.
namespace P2PChat.Core.Rooms;

/// <summary>
/// A post whose id this host already ordered is not ordered again (a member resending after a handoff, or two members
/// giving the same entry at resync); it is delivered again only to whoever asks from an earlier position. The host
/// keeps its epoch's last <see cref="RoomLog.Window"/> deliveries for members that reconnect.
/// </summary>
/// <param name="lastOrder">the last position already given in this epoch (a host that restarted continues past it).</param>
public sealed class HostOrder(uint epoch, ulong lastOrder = 0)
{
    private readonly Dictionary<RoomMessageId, RoomDelivery> _byId = [];
    private readonly List<RoomDelivery> _log = [];
    private readonly Lock _gate = new();

    public uint Epoch => epoch;
    public ulong LastOrder { get; private set; } = lastOrder;

    /// <summary>Orders an entry; returns the delivery and whether it is new to this host.</summary>
    public (RoomDelivery Delivery, bool IsNew) Order(RoomEntry entry)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(entry.Id, out var existing)) return (existing, false);
            var delivery = new RoomDelivery(epoch, ++LastOrder, entry);
            _byId[entry.Id] = delivery;
            _log.Add(delivery);
            if (_log.Count > RoomLog.Window)
            {
                _byId.Remove(_log[0].Entry.Id);
                _log.RemoveAt(0);
            }
            return (delivery, true);
        }
    }

    /// <summary>Deliveries after (<paramref name="lastEpoch"/>, <paramref name="lastOrder"/>): all of them for a member of an earlier epoch.</summary>
    public IReadOnlyList<RoomDelivery> After(uint lastEpoch, ulong lastOrder)
    {
        lock (_gate) return lastEpoch == epoch ? [.. _log.Where(d => d.Order > lastOrder)] : [.. _log];
    }
}
