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
/// </summary>
public sealed class OutgoingQueue(int capacity)
{
    private const int MaxBatch = 64;
    private readonly Channel<Frame> _frames = Channel.CreateBounded<Frame>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private static readonly object NoFrame = new();
    private readonly object _ledgerGate = new();
    private readonly OfflineLedger _ledger = new();
    private object? _last;

    public bool TryEnqueue(Frame frame)
    {
        if (StoredId(frame) is not { } id) return _frames.Writer.TryWrite(frame);
        lock (_ledgerGate)
        {
            if (!_frames.Writer.TryWrite(frame)) return false;
            _ledger.Append(id);
            return true;
        }
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
        var batch = new List<Frame>(MaxBatch);
        var reader = _frames.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var frame)) batch.Add(frame);
            await connection.SendAsync(batch, ct).ConfigureAwait(false);
        }
        if (Volatile.Read(ref _last) is Frame last) await connection.SendAsync(last, ct).ConfigureAwait(false);
    }

    /// <summary>The store id a frame carries when it is a stored message (MSG with the offline flag), else null.</summary>
    private static long? StoredId(Frame frame) =>
        frame is MsgDeliver { Flags: var flags, MessageId: <= long.MaxValue and var id } && flags.HasFlag(MessageFlags.Offline) ? (long)id : null;
}
