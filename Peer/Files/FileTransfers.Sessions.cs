// The data sessions: the sender's, started by the pump on a link, and the receiver's, started by the sender's Hello.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Files;

public sealed partial class FileTransfers
{
    private readonly Dictionary<TransferId, long> _lastProgress = [];

    private readonly HashSet<TransferId> _relayWaitReported = [];

    /// <summary>Starts the due send sessions on <paramref name="link"/>; true when one was held back from the relay (see <see cref="FileTransferOptions.RelayMaxBytes"/>).</summary>
    private bool StartSessions(Tag peer, IContactLink link)
    {
        var now = _options.Time.GetTimestamp();
        var heldBack = false;
        var waiting = new List<ClientEvent>();
        lock (_gate)
        {
            foreach (var record in _records.Values.ToList())
            {
                if (record.Peer != peer || record.Direction != TransferDirection.Send || record.Status != TransferStatus.Accepted || _running.ContainsKey(record.Id)) continue;
                if (_retry.TryGetValue(record.Id, out var retry) && retry.NotBefore > now) continue;
                var remaining = record.Manifest.TotalSize - _bytes.GetValueOrDefault(record.Id);
                if (link.Route == LinkRoute.Relay && remaining > _options.RelayMaxBytes)
                {
                    heldBack = true;
                    if (_relayWaitReported.Add(record.Id))
                        waiting.Add(new FileWaitingEvent(record.Id.ToString(), "send", record.PeerName, remaining,
                            $"no direct path to {record.PeerName}: the link goes through the server's relay, whose byte limits are for messages " +
                            $"(at most {_options.RelayMaxBytes >> 20} MiB of a file goes that way); the transfer starts by itself when a direct path is up"));
                    continue;
                }
                _relayWaitReported.Remove(record.Id);
                var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var task = Task.Run(async () => { await started.Task.ConfigureAwait(false); await RunSendAsync(record, link, cancel).ConfigureAwait(false); });
                _running[record.Id] = new RunningSession(cancel, task);
                started.SetResult();
            }
        }
        foreach (var e in waiting) Publish(e);
        return heldBack;
    }

    private async Task RunSendAsync(TransferRecord record, IContactLink link, CancellationTokenSource cancel)
    {
        var id = record.Id.ToString();
        var start = _options.Time.GetTimestamp();
        long startBytes;
        lock (_gate) startBytes = _bytes.GetValueOrDefault(record.Id);
        var sent = startBytes;
        var outcome = new SessionResult(SessionOutcome.Interrupted, "the link went away");
        try
        {
            using var source = new ChunkSource(record.Manifest, record.Path);
            using var stream = new TransferStream(link.OpenStream(PayloadKind.FileData));
            var session = new SendSession(record.Manifest, source, n =>
            {
                sent += n;
                Progress(record, "send", sent, startBytes, start);
            }, _pacer, _options.Time, _options.Receive.StallTimeout);
            outcome = await session.RunAsync(stream, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TransportException or FileProtocolException || e is OperationCanceledException && !_stop.IsCancellationRequested)
        {
            outcome = new SessionResult(SessionOutcome.Interrupted, e is OperationCanceledException ? "restarted" : e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = new SessionResult(SessionOutcome.Failed, $"cannot read what was offered: {e.Message}");
            lock (_gate) if (!record.IsFinal) Finish(record, TransferStatus.Failed, outcome.Reason!, TransferMessageType.Cancel);
            Publish(new FileFailedEvent(id, "send", outcome.Reason!, false));
        }
        catch (OperationCanceledException) { return; }
        finally
        {
            lock (_gate)
            {
                if (_running.TryGetValue(record.Id, out var s) && s.Cancel == cancel) _running.Remove(record.Id);
                _bytes[record.Id] = Math.Max(_bytes.GetValueOrDefault(record.Id), sent);
            }
            cancel.Dispose();
        }
        var events = new List<ClientEvent>();
        lock (_gate)
        {
            switch (outcome.Outcome)
            {
                case SessionOutcome.Completed when !record.IsFinal:
                    MarkSent(record, events);
                    break;
                case SessionOutcome.Refused when !record.IsFinal:
                    record.Status = TransferStatus.Paused;
                    record.Reason = outcome.Reason ?? "";
                    _store.Save(record);
                    events.Add(new FileFailedEvent(id, "send", $"the receiver refused the transfer for now: {outcome.Reason}", true));
                    break;
                case SessionOutcome.Failed when !record.IsFinal:
                    Finish(record, TransferStatus.Failed, outcome.Reason ?? "failed", 0);
                    events.Add(new FileFailedEvent(id, "send", outcome.Reason ?? "failed", false));
                    break;
                case SessionOutcome.Interrupted when !record.IsFinal:
                    events.Add(new FileInterruptedEvent(id, "send", outcome.Reason ?? "interrupted"));
                    break;
            }
        }
        // Nothing moves though the link looks alive (the receiver restarted behind it): drop it, so the next one is new.
        if (outcome.Reason?.StartsWith("stalled", StringComparison.Ordinal) == true) (link as ContactLink)?.Abort();
        if (outcome.Outcome == SessionOutcome.Interrupted) Backoff(record.Id);
        foreach (var e in events) Publish(e);
        Kick(record.Peer);
    }

    private async Task OnDataStreamAsync(IContactLink link, IReliableStream raw, CancellationToken ct)
    {
        using var stream = new TransferStream(raw);
        if (await stream.ReadAsync(ct).ConfigureAwait(false) is not HelloMessage hello)
        {
            raw.CompleteWrites();
            return;
        }
        TransferRecord? record;
        lock (_gate) record = _records.GetValueOrDefault(hello.Id) is { Direction: TransferDirection.Receive } r && r.Peer == link.PeerTag ? r : null;
        if (record is null || record.Status is not (TransferStatus.Accepted or TransferStatus.Done))
        {
            // The seed's failsafe: an id we never accepted from this contact gets no data path.
            var reason = record is null ? "no transfer with this id was accepted from you" : $"the transfer is {Name(record.Status)}";
            Publish(new FileRefusedEvent(_nameOf(link.PeerTag) ?? link.PeerTag.ToString(), hello.Id.ToString(), "a data stream presented a wrong transfer id: " + reason));
            await stream.WriteAsync(new RefusedMessage(reason), ct).ConfigureAwait(false);
            raw.CompleteWrites();
            return;
        }
        if (record.Status == TransferStatus.Done)
        {
            await stream.WriteAsync(new DoneMessage(record.Id), ct).ConfigureAwait(false);
            raw.CompleteWrites();
            return;
        }
        await RunReceiveAsync(record, link, stream, ct).ConfigureAwait(false);
    }

    private async Task RunReceiveAsync(TransferRecord record, IContactLink link, TransferStream stream, CancellationToken ct)
    {
        var id = record.Id.ToString();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RunningSession? previous;
        lock (_gate)
        {
            _running.Remove(record.Id, out previous);
            _running[record.Id] = new RunningSession(cancel, done.Task);
        }
        if (previous is not null)
        {
            // A new stream for the same transfer (the sender came back on a new link): the old session gives way.
            try { previous.Cancel.Cancel(); } catch (ObjectDisposedException) { }
            try { await previous.Task.ConfigureAwait(false); } catch (Exception) { }
        }
        SessionResult outcome;
        string? singlePath = null;
        var start = _options.Time.GetTimestamp();
        long startBytes = -1;
        try
        {
            using var files = new IncomingFiles(record.Manifest, record.Path, record.TopName, _store.BitmapPath(record.Id));
            var session = new ReceiveSession(record.Manifest, files, _options.Time, _options.Receive)
            {
                Progress = bytes =>
                {
                    var first = startBytes < 0;
                    if (first) startBytes = bytes;
                    lock (_gate) _bytes[record.Id] = bytes;
                    Progress(record, "receive", bytes, startBytes, start, always: first);
                },
                FileFinished = (_, path) => singlePath = path,
            };
            outcome = await session.RunAsync(stream, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TransportException or FileProtocolException || e is OperationCanceledException && !_stop.IsCancellationRequested)
        {
            outcome = new SessionResult(SessionOutcome.Interrupted, e is OperationCanceledException ? "restarted" : e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = new SessionResult(SessionOutcome.DiskFull, $"cannot write: {e.Message}; the partial files are kept for resume");
        }
        catch (OperationCanceledException)
        {
            outcome = new SessionResult(SessionOutcome.Interrupted, "stopping");
        }
        finally
        {
            lock (_gate) if (_running.TryGetValue(record.Id, out var s) && s.Cancel == cancel) _running.Remove(record.Id);
            done.TrySetResult();
        }
        var events = new List<ClientEvent>();
        var relink = false;
        lock (_gate)
        {
            if (record.IsFinal) return;
            switch (outcome.Outcome)
            {
                case SessionOutcome.Completed:
                    Finish(record, TransferStatus.Done, "", 0);
                    var m = record.Manifest;
                    events.Add(new FileDoneEvent(id, "receive", record.PeerName, m.IsFolder ? Path.Combine(record.Path, record.TopName) : singlePath ?? Path.Combine(record.Path, record.TopName),
                        m.IsFolder ? null : Convert.ToHexStringLower(m.Entries[0].Sha256), m.FileCount, m.TotalSize));
                    try { File.Delete(_store.BitmapPath(record.Id)); } catch (IOException) { }
                    break;
                case SessionOutcome.Failed:
                    Finish(record, TransferStatus.Failed, outcome.Reason ?? "failed", 0);
                    events.Add(new FileFailedEvent(id, "receive", outcome.Reason ?? "failed", false));
                    break;
                case SessionOutcome.DiskFull:
                    record.Status = TransferStatus.Paused;
                    record.Reason = outcome.Reason ?? "";
                    _store.Save(record);
                    events.Add(new FileFailedEvent(id, "receive", outcome.Reason ?? "cannot write", true));
                    break;
                default:
                    events.Add(new FileInterruptedEvent(id, "receive", outcome.Reason ?? "interrupted"));
                    if (outcome.Reason?.StartsWith("stalled", StringComparison.Ordinal) == true)
                    {
                        // Nothing arrives though the link looks alive: drop it, and make a new one from this side too.
                        record.Owed = TransferMessageType.Accept;
                        relink = true;
                    }
                    break;
            }
        }
        foreach (var e in events) Publish(e);
        if (relink)
        {
            (link as ContactLink)?.Abort();
            Kick(record.Peer);
        }
    }

    private void StopSession(TransferId id)
    {
        RunningSession? running;
        lock (_gate) running = _running.GetValueOrDefault(id);
        try { running?.Cancel.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Publishes file_progress at most every ProgressInterval, and always at 100 % (and when <paramref name="always"/>: a session's start).</summary>
    private void Progress(TransferRecord record, string direction, long bytes, long startBytes, long start, bool always = false)
    {
        var now = _options.Time.GetTimestamp();
        var total = record.Manifest.TotalSize;
        lock (_gate)
        {
            if (!always && bytes < total && _lastProgress.TryGetValue(record.Id, out var last) && _options.Time.GetElapsedTime(last, now) < _options.ProgressInterval) return;
            _lastProgress[record.Id] = now;
        }
        var seconds = _options.Time.GetElapsedTime(start, now).TotalSeconds;
        var rate = seconds > 0 ? (long)((bytes - Math.Max(startBytes, 0)) / seconds) : 0;
        long? eta = rate > 0 ? (total - bytes) / rate : null;
        Publish(new FileProgressEvent(record.Id.ToString(), direction, bytes, total, rate, eta));
    }
}
