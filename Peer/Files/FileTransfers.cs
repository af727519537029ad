// The peer's file transfer service: offers, answers, sessions over contact links, resume and the events it reports.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Links;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Files;

/// <summary>
/// Every transfer is a <see cref="TransferRecord"/> saved in the profile, so a restart of either side picks up where it
/// was. One pump per contact with work to do gets a link (<see cref="IContactLinks.ConnectAsync"/>), delivers the
/// control message the contact still owes an answer to (offer, accept, reject, cancel), and runs the data sessions of
/// accepted outgoing transfers; when the link fails it waits (1 s doubling to 30 s, cut short by <see cref="ContactOnline"/>
/// or new work) and tries again. The receiver checks the transfer id of every data stream before any data flows and
/// drops a stream with an id it did not accept from that contact (the seed's failsafe).
/// </summary>
public sealed partial class FileTransfers : IAsyncDisposable
{
    private readonly IContactLinks _links;
    private readonly FileTransferOptions _options;
    private readonly IEventSink _events;
    private readonly Func<string, Tag?> _findUser;
    private readonly Func<Tag, string?> _nameOf;
    private readonly TransferStore _store;
    private readonly Lock _gate = new();
    private readonly Dictionary<TransferId, TransferRecord> _records = [];
    private readonly Dictionary<TransferId, RunningSession> _running = [];
    private readonly Dictionary<TransferId, long> _bytes = [];
    private readonly Dictionary<Tag, Pump> _pumps = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IDisposable> _registrations = [];

    /// <param name="findUser">username → tag (the server directory).</param>
    /// <param name="nameOf">tag → username, for offers and refusals from contacts.</param>
    public FileTransfers(IContactLinks links, FileTransferOptions options, IEventSink events, Func<string, Tag?> findUser, Func<Tag, string?> nameOf)
    {
        _nameOf = nameOf;
        _links = links;
        _options = options;
        _events = events;
        _findUser = findUser;
        _store = new TransferStore(options.StateFolder);
        _pacer = options.SendRate is > 0 and var rate ? new SendPacer(rate, options.Time) : null;
    }

    private readonly SendPacer? _pacer;

    /// <summary>Loads saved transfers, listens for the contacts' file streams, and resumes what was under way.</summary>
    public void Start()
    {
        foreach (var record in _store.LoadAll(why => _events.Publish(new FileFailedEvent("", "receive", "a saved transfer was damaged and set aside: " + why, false))))
        {
            if (record.Direction == TransferDirection.Receive && record.Status == TransferStatus.Accepted && record.Owed == 0)
                record.Owed = TransferMessageType.Accept; // tell the sender we are back, so it resumes at once
            lock (_gate) _records[record.Id] = record;
        }
        _registrations.Add(_links.OnStream(PayloadKind.FileControl, OnControlStreamAsync));
        _registrations.Add(_links.OnStream(PayloadKind.FileData, OnDataStreamAsync));
        List<Tag> peers;
        lock (_gate) peers = [.. _records.Values.Where(r => !r.IsFinal).Select(r => r.Peer).Distinct()];
        foreach (var peer in peers) Kick(peer);
    }

    /// <summary>A contact came online (presence from the server): try its link now instead of at the next retry.</summary>
    public void ContactOnline(Tag peer) => Kick(peer);

    /// <summary>By username; null: every contact with unfinished transfers (e.g. after our own sign-in).</summary>
    public void ContactOnline(string? user)
    {
        List<Tag> peers;
        lock (_gate) peers = [.. _records.Values.Where(r => !r.IsFinal && (user is null || string.Equals(r.PeerName, user, StringComparison.OrdinalIgnoreCase))).Select(r => r.Peer).Distinct()];
        foreach (var peer in peers) Kick(peer);
    }

    // ---- commands ----

    /// <summary>/send: hashes what <paramref name="path"/> names and offers it (queued while the contact is offline).</summary>
    public async Task<TransferId> SendAsync(string user, string path, CancellationToken ct)
    {
        var peer = _findUser(user) ?? throw new FileTransferException(FileErrorCode.UnknownUser, $"no user '{user}'");
        BuiltManifest built;
        try { built = await Task.Run(() => ManifestBuilder.BuildAsync(path, TransferId.NewRandom(), ct), ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileTransferException(FileErrorCode.CannotRead, e.Message);
        }
        var record = new TransferRecord
        {
            Direction = TransferDirection.Send, Peer = peer, PeerName = user, Manifest = built.Manifest, Path = built.Root,
            Status = TransferStatus.Queued, Owed = TransferMessageType.Offer, Created = _options.Time.GetUtcNow(),
        };
        lock (_gate)
        {
            _records[record.Id] = record;
            _store.Save(record);
        }
        Kick(peer);
        return record.Id;
    }

    /// <summary>/accept: saves into <paramref name="folder"/> (or the download folder); resumes a paused transfer.</summary>
    public void Accept(string id, string? folder)
    {
        TransferRecord record;
        lock (_gate)
        {
            record = Find(id, TransferDirection.Receive);
            if (record.Status is not (TransferStatus.Offered or TransferStatus.Paused or TransferStatus.Accepted))
                throw new FileTransferException(FileErrorCode.WrongState, $"transfer {record.Id} is {Name(record.Status)}");
            if (record.Status == TransferStatus.Offered)
            {
                var target = Path.GetFullPath(folder ?? _options.DownloadFolder);
                try
                {
                    Directory.CreateDirectory(target);
                    record.TopName = IncomingFiles.ChooseTopName(target, record.Manifest.Name);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new FileTransferException(FileErrorCode.CannotWrite, $"cannot save into '{target}': {e.Message}");
                }
                record.Path = target;
            }
            record.Status = TransferStatus.Accepted;
            record.Owed = TransferMessageType.Accept;
            _store.Save(record);
        }
        _events.Publish(new FileAcceptedEvent(record.Id.ToString(), "receive", record.PeerName, Path.Combine(record.Path, record.TopName)));
        Kick(record.Peer);
    }

    /// <summary>/reject: the sender is told.</summary>
    public void Reject(string id)
    {
        TransferRecord record;
        lock (_gate)
        {
            record = Find(id, TransferDirection.Receive);
            if (record.Status != TransferStatus.Offered) throw new FileTransferException(FileErrorCode.WrongState, $"transfer {record.Id} is {Name(record.Status)}");
            Finish(record, TransferStatus.Rejected, "rejected by the receiver", TransferMessageType.Reject);
        }
        _events.Publish(new FileRejectedEvent(record.Id.ToString(), "receive", record.PeerName, "rejected by you"));
        Kick(record.Peer);
    }

    /// <summary>/cancel: stops a transfer from either side; the contact is told.</summary>
    public void Cancel(string id)
    {
        TransferRecord record;
        lock (_gate)
        {
            record = Find(id, null);
            if (record.IsFinal) throw new FileTransferException(FileErrorCode.WrongState, $"transfer {record.Id} is already {Name(record.Status)}");
            // Owed even when the offer looks undelivered: it may be in flight, and a cancel of an unknown id is just acknowledged.
            Finish(record, TransferStatus.Cancelled, "cancelled", TransferMessageType.Cancel);
        }
        StopSession(record.Id);
        DiscardPartials(record);
        _events.Publish(new FileCancelledEvent(record.Id.ToString(), record.DirectionName, "me", "cancelled by you"));
        Kick(record.Peer);
    }

    /// <summary>/transfers: newest first.</summary>
    public TransfersEvent List()
    {
        lock (_gate)
            return new TransfersEvent([.. _records.Values.OrderByDescending(r => r.Created).Select(r => new TransferInfo(
                r.Id.ToString(), r.DirectionName, r.PeerName, r.Manifest.Name, r.Manifest.TotalSize, r.Manifest.FileCount,
                r.Status == TransferStatus.Done ? r.Manifest.TotalSize : _bytes.GetValueOrDefault(r.Id), Name(r.Status)))]);
    }

    // ---- helpers shared by the parts ----

    private TransferRecord Find(string id, TransferDirection? direction)
    {
        var matches = _records.Values.Where(r => r.Id.ToString().StartsWith(id.ToLowerInvariant(), StringComparison.Ordinal)
            && (direction is null || r.Direction == direction)).ToList();
        if (id.Length < 4 || matches.Count == 0) throw new FileTransferException(FileErrorCode.UnknownTransfer, $"no transfer '{id}' (/transfers lists them)");
        if (matches.Count > 1) throw new FileTransferException(FileErrorCode.UnknownTransfer, $"'{id}' names {matches.Count} transfers; give more of the id");
        return matches[0];
    }

    /// <summary>Ends a record (under the lock): final status, reason, what the contact must still hear; saved.</summary>
    private void Finish(TransferRecord record, TransferStatus status, string reason, TransferMessageType owed)
    {
        record.Status = status;
        record.Reason = reason;
        record.Owed = owed;
        _store.Save(record);
    }

    internal static string Name(TransferStatus status) => status.ToString().ToLowerInvariant();

    private void DiscardPartials(TransferRecord record)
    {
        if (record.Direction != TransferDirection.Receive || record.TopName.Length == 0) return;
        try
        {
            using var files = new IncomingFiles(record.Manifest, record.Path, record.TopName, _store.BitmapPath(record.Id));
            files.Discard();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private void Publish(ClientEvent e) => _events.Publish(e);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        foreach (var r in _registrations) r.Dispose();
        List<Task> tasks;
        lock (_gate) tasks = [.. _pumps.Values.Select(p => p.Task), .. _running.Values.Select(s => s.Task)];
        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch (Exception) { /* each task reported its own failure */ }
        _stop.Dispose();
    }

    private sealed record RunningSession(CancellationTokenSource Cancel, Task Task);
}
