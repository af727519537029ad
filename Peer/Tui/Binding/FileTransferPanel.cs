// File events as the TUI's transfers panel and offer dialog see them: one bar per transfer, a dialog per offer.
using P2PChat.Peer.Events;
using P2PChat.Peer.Files;
using P2PChat.Peer.Tui.State;
using TransferDirection = P2PChat.Peer.Tui.State.TransferDirection;
using TransferStatus = P2PChat.Peer.Tui.State.TransferStatus;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// An offer is queued for the modal <see cref="Screen.OfferDialog"/> (Accept submits "/accept ID", Reject or Esc
/// "/reject ID"). A transfer gets a row in the transfers panel once it is offered (sending) or accepted (receiving):
/// waiting, then running with its bytes, then done or failed; a rejected or cancelled one leaves the panel. The inline
/// notices (<see cref="FileNotices"/>) stay, so the buffer keeps the history.
/// </summary>
public sealed class FileTransferPanel
{
    private readonly Dictionary<string, TransferView> _known = [];

    public void Apply(ChatViewState state, ClientEvent e)
    {
        switch (e)
        {
            case FileOfferEvent o:
                _known[o.Id] = new TransferView(o.Id, o.From, o.Name, 0, o.Size, TransferDirection.Receiving, TransferStatus.Waiting);
                var what = o.Files == 1 && o.Folders == 0 ? o.Name : $"the folder {o.Name}";
                var detail = $"{FileNotices.Size(o.Size)}{(o.Files > 1 ? $" in {o.Files} files" : "")}";
                state.AskOffer(new PendingOffer(new OfferView(OfferKind.File, o.From, what, detail), $"/accept {o.Id}", $"/reject {o.Id}"));
                break;
            case FileQueuedEvent q: Show(state, new TransferView(q.Id, q.To, q.Name, 0, q.Size, TransferDirection.Sending, TransferStatus.Waiting)); break;
            case FileOfferedEvent o: Show(state, new TransferView(o.Id, o.To, o.Name, 0, o.Size, TransferDirection.Sending, TransferStatus.Waiting)); break;
            case FileAcceptedEvent a: Update(state, a.Id, t => t with { Status = TransferStatus.Running }); break;
            case FileProgressEvent p: Update(state, p.Id, t => t with { Done = p.Bytes, Total = p.Total, Status = TransferStatus.Running }); break;
            case FileWaitingEvent w: Update(state, w.Id, t => t with { Status = TransferStatus.Waiting }); break;
            case FileInterruptedEvent i: Update(state, i.Id, t => t with { Status = TransferStatus.Waiting }); break;
            case FileDoneEvent d: Update(state, d.Id, t => t with { Done = t.Total, Status = TransferStatus.Done }); break;
            case FileFailedEvent f: Update(state, f.Id, t => t with { Status = TransferStatus.Failed }); break;
            case FileRejectedEvent r: Forget(state, r.Id); break;
            case FileCancelledEvent c: Forget(state, c.Id); break;
        }
    }

    private void Show(ChatViewState state, TransferView view)
    {
        _known[view.Id] = view;
        state.SetTransfer(view);
    }

    /// <summary>Changes a known transfer and shows it; an id this run never heard of (resumed after a restart) gets a row named by its id.</summary>
    private void Update(ChatViewState state, string id, Func<TransferView, TransferView> change) =>
        Show(state, change(_known.GetValueOrDefault(id) ?? new TransferView(id, "", id[..Math.Min(8, id.Length)], 0, 0, TransferDirection.Receiving, TransferStatus.Running)));

    private void Forget(ChatViewState state, string id)
    {
        _known.Remove(id);
        state.RemoveTransfer(id);
    }
}
