// One session's outgoing frames: a bounded queue written by whoever holds its write lease, so no sender waits on a slow client.
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
/// <param name="onFailed">called with "send_queue_full" when deferred deltas find the queue full, with "write_failed"
/// when a write fails or is aborted (the session then closes).</param>
public sealed class OutgoingQueue(int capacity, int maxFrameSize = Core.Protocol.FrameCodec.DefaultMaxFrameSize, DeltaFlusher? flusher = null,
    Action<string>? onFailed = null)
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
    private FrameConnection? _connection;
    private CancellationToken _writeCancel;
    private int _draining;
    private int _corks;
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        flusher.Schedule(() => { if (FlushDeltas()) Kick(); else onFailed?.Invoke("send_queue_full"); });
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

    /// <summary>Waits for room, then writes at once unless a write is in progress; does nothing once the queue is
    /// completed. For the session's own replies (its read loop holds no lock).</summary>
    public async ValueTask EnqueueAsync(Frame frame, CancellationToken ct)
    {
        await EnqueueWithoutKickAsync(frame, ct).ConfigureAwait(false);
        if (Volatile.Read(ref _corks) == 0) Kick();
    }

    /// <summary>Several replies: all queued, then written together (in batches of what is ready).</summary>
    public async ValueTask EnqueueAsync(IEnumerable<Frame> frames, CancellationToken ct)
    {
        foreach (var frame in frames) await EnqueueWithoutKickAsync(frame, ct).ConfigureAwait(false);
        if (Volatile.Read(ref _corks) == 0) Kick();
    }

    /// <summary>
    /// Until the matching <see cref="Uncork"/>, the session's own replies (<see cref="EnqueueAsync(Frame, CancellationToken)"/>)
    /// are queued but not written: a command's replies (and those of the next commands already read) go out in one
    /// write, e.g. MSG_ACKs of pipelined MSGs, or a whole sign-in burst. Frames from other sessions still write at once
    /// (taking along whatever is queued), and a full queue is written before waiting for room. Nestable.
    /// </summary>
    public void Cork() => Interlocked.Increment(ref _corks);

    /// <summary>Ends one <see cref="Cork"/>; the last one writes what is queued.</summary>
    public void Uncork()
    {
        if (Interlocked.Decrement(ref _corks) == 0) Kick();
    }

    private async ValueTask EnqueueWithoutKickAsync(Frame frame, CancellationToken ct)
    {
        while (!TryEnqueue(frame))
        {
            Kick();   // full: what is queued must be on its way before waiting for room
            if (!await _frames.Writer.WaitToWriteAsync(ct).ConfigureAwait(false)) return;
        }
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
        Kick();
        return true;
    }

    /// <summary>
    /// Starts writing to <paramref name="connection"/>; the task ends once the queue is completed and drained (and the
    /// last frame written), or faults when a write fails. There is no writer task: whoever queues a frame while no write
    /// is in progress writes it at once on its own thread (see <see cref="Kick"/>), so a reply or a PM reaches the
    /// socket without a hop to another thread, and an idle session holds no pending writer.
    /// </summary>
    public Task RunWriterAsync(FrameConnection connection, CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _connection, connection, null) is not null) throw new InvalidOperationException("already writing");
        _writeCancel = ct;
        Kick();
        return _written.Task;
    }

    /// <summary>
    /// Writes what is queued unless a write is already in progress (that one picks it up). The write runs on the
    /// calling thread until it would wait for the socket; the rest continues on the thread pool. Callers queue under
    /// their locks and call this after leaving them. Before <see cref="RunWriterAsync"/> it does nothing.
    /// </summary>
    public void Kick()
    {
        if (Volatile.Read(ref _connection) is null || Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
        _ = DrainAsync();
    }

    /// <summary>Holds the write lease: writes batches until nothing is queued, then lets go and looks once more (a frame
    /// queued just before letting go found the lease taken and relies on this look).</summary>
    private async Task DrainAsync()
    {
        var connection = _connection!;
        var ct = _writeCancel;
        try
        {
            while (true)
            {
                while (_frames.Reader.TryPeek(out _)) await SendBatchAsync(connection, ct).ConfigureAwait(false);
                if (_frames.Reader.Completion.IsCompleted)
                {
                    if (Volatile.Read(ref _last) is Frame last) await connection.SendAsync(last, ct).ConfigureAwait(false);
                    _written.TrySetResult();
                    return;
                }
                Volatile.Write(ref _draining, 0);
                if (!_frames.Reader.TryPeek(out _) && !_frames.Reader.Completion.IsCompleted) return;
                if (Interlocked.CompareExchange(ref _draining, 1, 0) != 0) return;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _written.TrySetCanceled(ct);
            onFailed?.Invoke("write_failed");
        }
        catch (Exception ex)
        {
            _written.TrySetException(ex);
            onFailed?.Invoke("write_failed");
        }
    }

    /// <summary>Writes what is ready (up to <see cref="MaxBatch"/> queued items, deltas expanded) with one flush. Its own
    /// method so that, between batches (idle), the writer references no frame and holds no list: the batch's list is
    /// borrowed from the writing thread's spare (<see cref="t_spareBatch"/>) and given back emptied, so a steady stream of
    /// writes allocates no list per batch and an idle session keeps none.</summary>
    private async ValueTask SendBatchAsync(FrameConnection connection, CancellationToken ct)
    {
        var batch = t_spareBatch ?? new List<Frame>(8);
        t_spareBatch = null;
        try
        {
            var taken = 0;
            while (taken++ < MaxBatch && _frames.Reader.TryRead(out var frame))
            {
                if (ReferenceEquals(frame, DeltaMarker)) batch.AddRange(TakeDeltas());
                else batch.Add(frame);
            }
            if (batch.Count > 0) await connection.SendAsync(batch, ct).ConfigureAwait(false);
        }
        finally
        {
            // Possibly another thread than the one it was borrowed on (the write waited): it becomes that thread's spare.
            batch.Clear();
            if (batch.Capacity <= MaxBatch) t_spareBatch = batch;
        }
    }

    /// <summary>One emptied batch list per thread, reused by whichever session writes on it next (a list of a sign-in
    /// burst's size is let go instead).</summary>
    [ThreadStatic] private static List<Frame>? t_spareBatch;

    /// <summary>The store id a frame carries when it is a stored message (MSG with the offline flag), else null.</summary>
    private static long? StoredId(Frame frame) =>
        frame is MsgDeliver { Flags: var flags, MessageId: <= long.MaxValue and var id } && flags.HasFlag(MessageFlags.Offline) ? (long)id : null;
}
