// The control messages a contact sends us (and the answers to ours): offers, accepts, rejects, cancels, dones, acks.
using P2PChat.Core.Files;
using P2PChat.Core.Files.Sessions;
using P2PChat.Core.Links;
using P2PChat.Core.Protocol;
using P2PChat.Core.Transport;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Files;

public sealed partial class FileTransfers
{
    private async Task OnControlStreamAsync(IContactLink link, IReliableStream stream, CancellationToken ct)
    {
        try
        {
            await ControlExchange.ServeAsync(stream, message => Handle(link.PeerTag, message, reply: false) ?? new AckMessage(default, TransferMessageType.Ack), ct).ConfigureAwait(false);
        }
        catch (FileProtocolException e) when (e.Id is { } id)
        {
            // An offer we refuse as it stands (hostile names, over a limit): say so to the sender and to the user.
            var from = _nameOf(link.PeerTag) ?? link.PeerTag.ToString();
            Publish(new FileRefusedEvent(from, id.ToString(), e.Message));
            await stream.WriteAsync(TransferFrameCodec.Encode(new RejectMessage(id, "refused by the receiver: " + e.Message)), ct).ConfigureAwait(false);
            stream.CompleteWrites();
        }
        catch (FileProtocolException e)
        {
            Publish(new FileRefusedEvent(_nameOf(link.PeerTag) ?? link.PeerTag.ToString(), null, e.Message));
            stream.CompleteWrites();
        }
    }

    /// <summary>
    /// Applies a message from <paramref name="peer"/>: a new control message (returns the answer) or the answer to one of
    /// ours (<paramref name="reply"/>; returns null). Every message is idempotent: a repeat gets the current state.
    /// </summary>
    private TransferMessage? Handle(Tag peer, TransferMessage message, bool reply)
    {
        var events = new List<ClientEvent>();
        TransferMessage? answer;
        var stop = false;
        TransferRecord? record;
        lock (_gate)
        {
            var id = message switch
            {
                OfferMessage m => m.Manifest.Id,
                AcceptMessage m => m.Id,
                RejectMessage m => m.Id,
                CancelMessage m => m.Id,
                DoneMessage m => m.Id,
                FailedMessage m => m.Id,
                AckMessage m => m.Id,
                _ => throw new FileProtocolException($"a {message.Type} message on a control stream"),
            };
            record = _records.GetValueOrDefault(id) is { } found && found.Peer == peer ? found : null;
            (answer, stop) = Apply(peer, record, message, events);
        }
        if (stop && record is not null)
        {
            // Before the events: when file_cancelled is out, the partial files are already gone.
            StopSession(record.Id);
            if (record.Status == TransferStatus.Cancelled) DiscardPartials(record);
        }
        foreach (var e in events) Publish(e);
        if (record is not null) Kick(peer);
        return reply ? null : answer;
    }

    /// <summary>Under the lock: the state change a message makes, the events it raises, the answer, whether to stop a session.</summary>
    private (TransferMessage Answer, bool Stop) Apply(Tag peer, TransferRecord? record, TransferMessage message, List<ClientEvent> events)
    {
        switch (message)
        {
            case OfferMessage offer when record is null:
                var manifest = offer.Manifest;
                var name = _nameOf(peer) ?? peer.ToString();
                record = new TransferRecord
                {
                    Direction = TransferDirection.Receive, Peer = peer, PeerName = name, Manifest = manifest,
                    Status = TransferStatus.Offered, Created = _options.Time.GetUtcNow(),
                };
                _records[record.Id] = record;
                _store.Save(record);
                events.Add(new FileOfferEvent(record.Id.ToString(), name, manifest.Name, manifest.TotalSize, manifest.FileCount, manifest.Entries.Count - manifest.FileCount));
                return (new AckMessage(record.Id, TransferMessageType.Offer), false);
            case OfferMessage when record!.Direction == TransferDirection.Receive:
                return (StateOf(record), false);
            case OfferMessage offer:
                return (new RejectMessage(offer.Manifest.Id, "that id is taken"), false);

            case AckMessage ack when record is not null:
                if (record.Owed == ack.Of) record.Owed = 0;
                if (ack.Of == TransferMessageType.Offer && record.Status == TransferStatus.Queued)
                {
                    record.Status = TransferStatus.Offered;
                    events.Add(new FileOfferedEvent(record.Id.ToString(), record.PeerName, record.Manifest.Name, record.Manifest.TotalSize, record.Manifest.FileCount));
                }
                _store.Save(record);
                return (message, false);

            case AcceptMessage accept when record is { Direction: TransferDirection.Send }:
                if (record.Status is TransferStatus.Queued or TransferStatus.Offered or TransferStatus.Paused or TransferStatus.Accepted)
                {
                    var first = record.Status is TransferStatus.Queued or TransferStatus.Offered;
                    record.Status = TransferStatus.Accepted;
                    if (record.Owed == TransferMessageType.Offer) record.Owed = 0;
                    _store.Save(record);
                    _bytes[record.Id] = BytesOf(record.Manifest, accept.Held);
                    _retry.Remove(record.Id);
                    if (first) events.Add(new FileAcceptedEvent(record.Id.ToString(), "send", record.PeerName, null));
                    return (new AckMessage(record.Id, TransferMessageType.Accept), !first);
                }
                return (StateOfSend(record), false);

            case RejectMessage reject when record is { Direction: TransferDirection.Send, IsFinal: false }:
                Finish(record, TransferStatus.Rejected, reject.Reason, 0);
                events.Add(new FileRejectedEvent(record.Id.ToString(), "send", record.PeerName, reject.Reason));
                return (new AckMessage(record.Id, TransferMessageType.Reject), true);

            case CancelMessage cancel when record is { IsFinal: false }:
                Finish(record, TransferStatus.Cancelled, cancel.Reason, 0);
                events.Add(new FileCancelledEvent(record.Id.ToString(), record.DirectionName, "peer", cancel.Reason));
                return (new AckMessage(record.Id, TransferMessageType.Cancel), true);

            case DoneMessage when record is { Direction: TransferDirection.Send, IsFinal: false }:
                MarkSent(record, events);
                return (new AckMessage(record.Id, TransferMessageType.Done), true);

            case FailedMessage failed when record is { IsFinal: false }:
                Finish(record, TransferStatus.Failed, failed.Reason, 0);
                events.Add(new FileFailedEvent(record.Id.ToString(), record.DirectionName, failed.Reason, false));
                return (new AckMessage(record.Id, TransferMessageType.Failed), true);

            case AcceptMessage accept when record is null:
                return (new CancelMessage(accept.Id, "no such transfer here"), false);

            default:
                // A repeat of something already applied, or about a transfer we do not know: acknowledge it.
                return (new AckMessage(record?.Id ?? default, message.Type), false);
        }
    }

    private void MarkSent(TransferRecord record, List<ClientEvent> events)
    {
        Finish(record, TransferStatus.Done, "", 0);
        var m = record.Manifest;
        events.Add(new FileDoneEvent(record.Id.ToString(), "send", record.PeerName, Path.Combine(record.Path, m.Name),
            m.IsFolder ? null : Convert.ToHexStringLower(m.Entries[0].Sha256), m.FileCount, m.TotalSize));
    }

    /// <summary>What a receive record says to a repeated offer.</summary>
    private TransferMessage StateOf(TransferRecord record) => record.Status switch
    {
        TransferStatus.Accepted => new AcceptMessage(record.Id, HeldChunks(record)),
        TransferStatus.Rejected => new RejectMessage(record.Id, record.Reason),
        TransferStatus.Cancelled => new CancelMessage(record.Id, record.Reason),
        TransferStatus.Done => new DoneMessage(record.Id),
        TransferStatus.Failed => new FailedMessage(record.Id, record.Reason),
        _ => new AckMessage(record.Id, TransferMessageType.Offer),
    };

    /// <summary>What a finished send record says to a late accept.</summary>
    private static TransferMessage StateOfSend(TransferRecord record) => record.Status switch
    {
        TransferStatus.Cancelled => new CancelMessage(record.Id, record.Reason),
        TransferStatus.Failed => new FailedMessage(record.Id, record.Reason),
        _ => new AckMessage(record.Id, TransferMessageType.Accept),
    };
}
