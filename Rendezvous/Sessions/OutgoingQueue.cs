// One session's outgoing frames: a bounded queue drained by a single writer task, so no sender waits on a slow client.
using System.Threading.Channels;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Frames for one client. Its own replies use <see cref="EnqueueAsync"/> (waits for room: back-pressure on that
/// client's own read loop only); frames fanned out by other sessions use <see cref="TryEnqueue"/>, which never
/// waits and reports a full queue so the caller can drop the slow client. <see cref="Complete"/> takes an optional
/// last frame (the closing STATUS) that is written after everything already queued.
/// A stored (offline-flagged) MSG is written to the queue and recorded in its <see cref="OfflineLedger"/> under one
/// lock, so the ledger's order is the wire order; <see cref="TakeAcknowledged"/> answers OFFLINE_ACK from it.
/// <para>
/// Roster deltas (a user's card, a presence change) are coalesced (<see cref="TryEnqueueDelta"/>): the queue keeps the
/// latest delta per user, and one marker in the frame queue says where they go out. When the writer reaches the
/// marker it takes every delta pending by then and writes them batched (<see cref="RosterBatcher"/>). A delta
/// therefore never goes out later than it would have unbatched (only earlier, and superseded ones not at all), and
/// a burst of 10,000 sign-ins costs a reader one queue slot and a few ROSTER frames, not 10,000 ADD frames.
/// </para>
/// </summary>
public sealed class OutgoingQueue(int capacity, int maxFrameSize = Core.Protocol.FrameCodec.DefaultMaxFrameSize, DeltaFlusher? flusher = null,
    Action? onFlushFailed = null)
{
    private const int MaxBatch = 64;
    /// <summary>Stands in the frame queue for the coalesced deltas; never written itself.</summary>
    private static readonly Frame DeltaMarker = new Ping(0);
    private Dictionary<uint, Frame>? _deltas;
    private bool _markerQueued;
    private volatile bool _flushScheduled;
    private readonly Channel<Frame> _frames = Channel.CreateBounded<Frame>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private static readonly object NoFrame = new();
    private readonly object _ledgerGate = new();
    private readonly OfflineLedger _ledger = new();
    private object? _last;

    public bool TryEnqueue(Frame frame)
    {
        // Deltas waiting for the flusher go out before any later frame (a card before a message from that user).
        if (_flushScheduled && !FlushDeltas()) return false;
        if (StoredId(frame) is not { } id) return _frames.Writer.TryWrite(frame);
        lock (_ledgerGate)
        {
            if (!_frames.Writer.TryWrite(frame)) return false;
            _ledger.Append(id);
            return true;
        }
    }

    /// <summary>
    /// Queues a roster delta about <paramref name="userTag"/> (<see cref="AddUser"/> or <see cref="PresenceUpdate"/>),
    /// replacing one still pending for the same user (a presence change updates a pending card). With
    /// <paramref name="hold"/> the delta waits until <see cref="ReleaseDeltas"/> (during the sign-in burst).
    /// </summary>
    /// <returns>false when the queue is full or completed.</returns>
    public bool TryEnqueueDelta(uint userTag, Frame delta, bool hold = false)
    {
        lock (_ledgerGate)
        {
            _deltas ??= [];
            _deltas[userTag] = _deltas.TryGetValue(userTag, out var pending) ? Merge(pending, delta) : delta;
            if (hold || _markerQueued || _flushScheduled) return true;
            if (flusher is null) return QueueMarker();
            _flushScheduled = true;
        }
        flusher.Schedule(() => { if (!FlushDeltas()) onFlushFailed?.Invoke(); });
        return true;
    }

    /// <summary>The pending deltas go into the frame queue now (the flusher's turn came, or another frame is queued).</summary>
    /// <returns>false when the queue is full.</returns>
    public bool FlushDeltas()
    {
        lock (_ledgerGate)
        {
            if (!_flushScheduled) return true;
            _flushScheduled = false;
            return _deltas is not { Count: > 0 } || QueueMarker();
        }
    }

    /// <summary>Puts the marker for deltas held so far into the queue (after what is queued now).</summary>
    public bool ReleaseDeltas()
    {
        lock (_ledgerGate)
        {
            _flushScheduled = false;
            return _deltas is not { Count: > 0 } || QueueMarker();
        }
    }

    private bool QueueMarker()
    {
        if (_markerQueued) return true;
        if (!_frames.Writer.TryWrite(DeltaMarker)) return false;
        _markerQueued = true;
        return true;
    }

    private static Frame Merge(Frame pending, Frame next) => (pending, next) switch
    {
        (AddUser card, PresenceUpdate p) => card with { Presence = p.Presence, AwayText = p.Text },
        _ => next,
    };

    /// <summary>The pending deltas as frames (cards, then presence updates), emptying the pending set.</summary>
    private List<Frame> TakeDeltas()
    {
        Dictionary<uint, Frame>? deltas;
        lock (_ledgerGate)
        {
            deltas = _deltas;
            _deltas = null;
            _markerQueued = false;
        }
        if (deltas is null) return [];
        var cards = deltas.Values.OfType<AddUser>().ToList();
        var presences = deltas.Values.OfType<PresenceUpdate>().ToList();
        return [.. RosterBatcher.Cards(cards, maxFrameSize), .. RosterBatcher.Presences(presences, maxFrameSize)];
    }

    /// <summary>Waits for room; does nothing once the queue is completed.</summary>
    public async ValueTask EnqueueAsync(Frame frame, CancellationToken ct)
    {
        while (await _frames.Writer.WaitToWriteAsync(ct).ConfigureAwait(false))
            if (TryEnqueue(frame)) return;
    }

    /// <summary>OFFLINE_ACK <paramref name="ackedId"/>: the stored-message ids queued up to and including it, now
    /// forgotten here (see <see cref="OfflineLedger.TakeThrough"/>); empty when this queue never carried that id.</summary>
    public IReadOnlyCollection<long> TakeAcknowledged(long ackedId)
    {
        lock (_ledgerGate) return _ledger.TakeThrough(ackedId);
    }

    /// <summary>No more frames; <paramref name="last"/>, if any, goes out after the queued ones. Only the first call counts.</summary>
    public bool Complete(Frame? last)
    {
        if (Interlocked.CompareExchange(ref _last, (object?)last ?? NoFrame, null) is not null) return false;
        _frames.Writer.TryComplete();
        return true;
    }

    /// <summary>Writes frames until the queue is completed and drained (batching what is ready into one flush).</summary>
    public async Task RunWriterAsync(FrameConnection connection, CancellationToken ct)
    {
        var reader = _frames.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            await SendBatchAsync(connection, ct).ConfigureAwait(false);
        if (Volatile.Read(ref _last) is Frame last) await connection.SendAsync(last, ct).ConfigureAwait(false);
    }

    /// <summary>Writes what is ready (up to <see cref="MaxBatch"/> queued items, deltas expanded) with one flush. Its own
    /// method so that, between batches (idle), the writer references no frame and holds no list.</summary>
    private async Task SendBatchAsync(FrameConnection connection, CancellationToken ct)
    {
        var batch = new List<Frame>(8);
        var taken = 0;
        while (taken++ < MaxBatch && _frames.Reader.TryRead(out var frame))
        {
            if (ReferenceEquals(frame, DeltaMarker)) batch.AddRange(TakeDeltas());
            else batch.Add(frame);
        }
        if (batch.Count > 0) await connection.SendAsync(batch, ct).ConfigureAwait(false);
    }

    /// <summary>The store id a frame carries when it is a stored message (MSG with the offline flag), else null.</summary>
    private static long? StoredId(Frame frame) =>
        frame is MsgDeliver { Flags: var flags, MessageId: <= long.MaxValue and var id } && flags.HasFlag(MessageFlags.Offline) ? (long)id : null;
}
