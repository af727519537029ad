// Per contact: get a link, deliver what the contact still has to hear, start the data sessions, wait, try again.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Links;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Files;

public sealed partial class FileTransfers
{
    private readonly Dictionary<TransferId, (long NotBefore, TimeSpan Backoff)> _retry = [];
    private readonly HashSet<TransferId> _queuedReported = [];

    private sealed class Pump
    {
        public SemaphoreSlim Signal { get; } = new(0);
        public Task Task { get; set; } = Task.CompletedTask;
    }

    /// <summary>Wakes (or starts) the pump of <paramref name="peer"/>.</summary>
    private void Kick(Tag peer)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            if (!_pumps.TryGetValue(peer, out var pump))
            {
                pump = new Pump();
                _pumps[peer] = pump;
                pump.Task = Task.Run(() => PumpAsync(peer, pump));
            }
            if (pump.Signal.CurrentCount == 0) pump.Signal.Release();
        }
    }

    private async Task PumpAsync(Tag peer, Pump pump)
    {
        var ct = _stop.Token;
        var delay = _options.RetryDelay;
        // Control messages a live link did not take (the peer ended the stream without an answer, e.g. a p2pchat too old
        // to read the offer's manifest version): tried again at once on a new link, on this one after a doubling wait.
        var owedDelay = _options.RetryDelay;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (work, wake) = WorkFor(peer);
                if (!work)
                {
                    await WaitAsync(pump, wake, CancellationToken.None, ct).ConfigureAwait(false);
                    continue;
                }
                IContactLink link;
                try { link = await _links.ConnectAsync(peer, ct).ConfigureAwait(false); }
                catch (ContactLinkUnavailableException e)
                {
                    ReportQueued(peer, e.Message);
                    await WaitAsync(pump, delay, CancellationToken.None, ct).ConfigureAwait(false);
                    delay = Doubled(delay);
                    continue;
                }
                delay = _options.RetryDelay;
                if (!await DeliverOwedAsync(peer, link, ct).ConfigureAwait(false))
                {
                    await WaitAsync(pump, owedDelay, link.Closed, ct).ConfigureAwait(false);
                    owedDelay = Doubled(owedDelay);
                    continue;
                }
                owedDelay = _options.RetryDelay;
                var heldBack = StartSessions(peer, link);
                var next = WorkFor(peer).Wake;
                if (heldBack && (next == Timeout.InfiniteTimeSpan || next > _options.RelayRecheck)) next = _options.RelayRecheck;
                await WaitAsync(pump, next, link.Closed, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>Whether the contact's pump has something to do now, and when it next might (retry backoffs).</summary>
    private (bool Work, TimeSpan Wake) WorkFor(Tag peer)
    {
        var now = _options.Time.GetTimestamp();
        var wake = Timeout.InfiniteTimeSpan;
        lock (_gate)
        {
            foreach (var r in _records.Values)
            {
                if (r.Peer != peer) continue;
                if (r.Owed != 0) return (true, wake);
                if (r.Direction != TransferDirection.Send || r.Status != TransferStatus.Accepted || _running.ContainsKey(r.Id)) continue;
                if (!_retry.TryGetValue(r.Id, out var retry) || retry.NotBefore <= now) return (true, wake);
                var left = _options.Time.GetElapsedTime(now, retry.NotBefore);
                if (wake == Timeout.InfiniteTimeSpan || left < wake) wake = left;
            }
        }
        return (false, wake);
    }

    /// <summary>Waits for a kick, <paramref name="delay"/> (on the injected clock) or the link's end, whichever is first.</summary>
    private async Task WaitAsync(Pump pump, TimeSpan delay, CancellationToken linkClosed, CancellationToken ct)
    {
        using var any = CancellationTokenSource.CreateLinkedTokenSource(ct, linkClosed);
        var waits = new List<Task> { pump.Signal.WaitAsync(any.Token) };
        if (delay != Timeout.InfiniteTimeSpan) waits.Add(Task.Delay(delay, _options.Time, any.Token));
        await Task.WhenAny(waits).ConfigureAwait(false);
        any.Cancel();
        ct.ThrowIfCancellationRequested();
    }

    private void ReportQueued(Tag peer, string why)
    {
        List<TransferRecord> queued;
        lock (_gate) queued = [.. _records.Values.Where(r => r.Peer == peer && r.Status == TransferStatus.Queued && _queuedReported.Add(r.Id))];
        foreach (var r in queued)
            Publish(new FileQueuedEvent(r.Id.ToString(), r.PeerName, r.Manifest.Name, r.Manifest.TotalSize, r.Manifest.FileCount,
                $"{why}; the offer is made when {r.PeerName} is online"));
    }

    /// <summary>Sends every owed control message on <paramref name="link"/>; false when the link failed meanwhile.</summary>
    private async Task<bool> DeliverOwedAsync(Tag peer, IContactLink link, CancellationToken ct)
    {
        List<TransferRecord> owed;
        lock (_gate) owed = [.. _records.Values.Where(r => r.Peer == peer && r.Owed != 0)];
        foreach (var record in owed)
        {
            TransferMessage message;
            lock (_gate)
            {
                message = record.Owed switch
                {
                    TransferMessageType.Offer => new OfferMessage(record.Manifest),
                    TransferMessageType.Accept => new AcceptMessage(record.Id, HeldChunks(record)),
                    TransferMessageType.Reject => new RejectMessage(record.Id, record.Reason),
                    TransferMessageType.Cancel => new CancelMessage(record.Id, record.Reason),
                    TransferMessageType.Failed => new FailedMessage(record.Id, record.Reason),
                    _ => new DoneMessage(record.Id),
                };
            }
            try
            {
                var reply = await ControlExchange.SendAsync(link, message, ct).ConfigureAwait(false);
                Handle(peer, reply, reply: true);
            }
            catch (Exception e) when (e is TransportException or FileProtocolException || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                return false;
            }
        }
        return true;
    }

    private ChunkBitmap HeldChunks(TransferRecord record)
    {
        try { return ChunkBitmapCodec.Decode(File.ReadAllBytes(_store.BitmapPath(record.Id))); }
        catch (Exception e) when (e is IOException or FileProtocolException) { return new ChunkBitmap(record.Manifest.TotalChunks); }
    }

    private static long BytesOf(FileManifest manifest, ChunkBitmap held)
    {
        if (held.Count != manifest.TotalChunks) return 0;
        long bytes = 0;
        for (var i = 0; i < manifest.Entries.Count; i++)
            for (var c = 0; c < manifest.Entries[i].ChunkCount; c++)
                if (held[manifest.ChunkBase(i) + c]) bytes += manifest.ChunkLength(i, c);
        return bytes;
    }

    /// <summary>The next wait of a doubling backoff: twice <paramref name="wait"/>, at most the options' maximum.</summary>
    private TimeSpan Doubled(TimeSpan wait) => TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _options.MaxRetryDelay.Ticks));

    /// <summary>After a failed session: do not start this transfer again before a backoff (1 s doubling to the maximum).</summary>
    private void Backoff(TransferId id)
    {
        lock (_gate)
        {
            var backoff = _retry.TryGetValue(id, out var r) ? Doubled(r.Backoff) : _options.RetryDelay;
            var notBefore = _options.Time.GetTimestamp() + (long)(backoff.TotalSeconds * _options.Time.TimestampFrequency);
            _retry[id] = (notBefore, backoff);
        }
    }
}
