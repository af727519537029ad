// Saving and restoring a room: what a member needs to rejoin by itself after a restart, with its log and keys.
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

public sealed partial class RoomPeer
{
    private bool _dirty = true;
    private bool _saveFailed;
    /// <summary>The write in flight, if any.</summary>
    private Task? _saving;
    /// <summary>How many snapshots were handed to the writer.</summary>
    private long _snapshots;
    /// <summary>Our posts waiting for the snapshot that holds them (its number) before they go out.</summary>
    private readonly Queue<(long Generation, RoomEntry Entry)> _unsaved = new();

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

    /// <summary>
    /// Saves the room when something changed since the last save. The snapshot is taken on the queue; the sealed write
    /// and its fsync run on the pool, so the room never waits on the disk (an fsync takes 5-30 ms here, and used to
    /// stall every post, delivery and ping behind it). One write at a time: what changes meanwhile goes into the next
    /// (at once when a post waits for it, else at the next tick), so posts made during a write share one fsync.
    /// A failed write is reported once and retried at the next tick.
    /// </summary>
    private void SaveIfDirty()
    {
        if (_saving is not null || !_dirty || _left) return;
        if (_ctx.Store is not { } store)
        {
            ReleaseSaved(long.MaxValue);
            return;
        }
        var record = Snapshot();
        var generation = ++_snapshots;
        _dirty = false;
        _saving = Task.Run(() =>
        {
            IOException? failure = null;
            try { store.Save(record); }
            catch (IOException e) { failure = e; }
            Enqueue(() => Saved(generation, failure));
        });
    }

    private void Saved(long generation, IOException? failure)
    {
        _saving = null;
        if (failure is null) _saveFailed = false;
        else
        {
            if (!_saveFailed) Publish(new Events.ErrorEvent(RoomErrors.Failed, $"room {RoomName} could not be saved (the last saved copy stays): {failure.Message}", "room"));
            _saveFailed = true;
            _dirty = true;
        }
        // A post goes out even when its save failed (the error says so): holding it back would lose it for sure.
        ReleaseSaved(generation);
        if (failure is null && _unsaved.Count > 0) SaveIfDirty();
    }

    /// <summary>
    /// Sends our post once a save holds it (with the sender-key state that encrypted it): a post that left is always
    /// in the saved outbox, so after a crash it is resent and its sequence number never reused.
    /// </summary>
    private void SendWhenSaved(RoomEntry entry)
    {
        _dirty = true;
        _unsaved.Enqueue((_snapshots + 1, entry));
        SaveIfDirty();
    }

    private void ReleaseSaved(long generation)
    {
        while (_unsaved.TryPeek(out var waiting) && waiting.Generation <= generation)
        {
            _unsaved.Dequeue();
            if (IsHost) OrderAndDeliver(waiting.Entry);
            else _host?.Send(new RoomFrame.Post(waiting.Entry));
        }
    }

    /// <summary>Our posts no host has delivered yet and that a save already holds (what may go to a new host).</summary>
    private IEnumerable<RoomEntry> SavedOutbox()
    {
        var unsaved = _unsaved.Select(w => w.Entry.Id.Sequence).ToHashSet();
        return _log.Unacknowledged.Where(e => !unsaved.Contains(e.Id.Sequence));
    }

    /// <summary>Waits for the write in flight (leaving, closing), so nothing older lands after what follows.</summary>
    private void WaitForSave()
    {
        try { _saving?.Wait(); }
        catch (AggregateException) { }
        _saving = null;
    }

    /// <summary>The last save on the way down, written before the room stops (no queue to come back to).</summary>
    private void SaveNow()
    {
        WaitForSave();
        if (!_dirty || _left || _ctx.Store is not { } store) return;
        try { store.Save(Snapshot()); _dirty = false; }
        catch (IOException e) { Publish(new Events.ErrorEvent(RoomErrors.Failed, $"room {RoomName} could not be saved (the last saved copy stays): {e.Message}", "room")); }
    }
}
