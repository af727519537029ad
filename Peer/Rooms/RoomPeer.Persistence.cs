// Saving and restoring a room: what a member needs to rejoin by itself after a restart, with its log and keys.
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private bool _dirty = true;
    private bool _saveFailed;

    /// <summary>Takes back the log and keys of a saved room (constructor only).</summary>
    private RoomLog Restore(RoomRecord saved)
    {
        _own.Dispose();
        _own = GroupSenderKey.Deserialize(saved.OwnKey);
        foreach (var (member, key) in saved.Receivers)
        {
            var receiver = GroupReceiverKey.Deserialize(key);
            _receivers[(member, receiver.KeyId)] = receiver;
        }
        foreach (var (sequence, payload) in saved.OwnPlain) _ownPlain[sequence] = RoomPayload.Decode(payload);
        return RoomLog.Restore(_ctx.Me, saved.NextSequence, saved.LastEpoch, saved.LastOrder, saved.Recent, saved.Outbox);
    }

    /// <summary>The room as it stands, for <see cref="RoomStore"/>.</summary>
    private RoomRecord Snapshot() => new(_signed, _own.Serialize(), _log.NextSequence, _log.LastEpoch, _log.LastOrder,
        [.. _receivers.Select(r => (r.Key.Item1, r.Value.Serialize()))], _log.Recent, _log.Unacknowledged,
        [.. _ownPlain.Select(p => (p.Key, p.Value.Encode()))]);

    /// <summary>Saves the room when something changed since the last save (on the queue). A failed write is reported once and retried.</summary>
    private void SaveIfDirty()
    {
        if (!_dirty || _left || _ctx.Store is not { } store) return;
        try
        {
            store.Save(Snapshot());
            _dirty = false;
            _saveFailed = false;
        }
        catch (IOException e)
        {
            if (!_saveFailed) Publish(new Events.ErrorEvent(RoomErrors.Failed, $"room {RoomName} could not be saved (the last saved copy stays): {e.Message}", "room"));
            _saveFailed = true;
        }
    }
}
