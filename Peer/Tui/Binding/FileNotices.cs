// How file transfer events read in the TUI: an offer with the keys to answer it, progress bars, the end of a transfer.
using P2PChat.Peer.Events;
using P2PChat.Peer.Files;
using P2PChat.Peer.History;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// File events are also notices in the contact's buffer (the offer dialog and the transfers panel are <see cref="FileTransferPanel"/>'s): an offer
/// names its size and the /accept and /reject lines to type; progress is a bar at every tenth of the way (not every
/// event, so a fast transfer does not flood the buffer); done, failed, cancelled and refused say what happened.
/// </summary>
public sealed class FileNotices
{
    private readonly Dictionary<string, int> _shownTenths = [];
    private readonly Dictionary<string, string> _peers = [];

    /// <summary>The notice for <paramref name="e"/> and the buffer it goes to; null text when it shows nothing (or is not a file event).</summary>
    public (string? Text, string? Buffer, bool Error) Describe(ClientEvent e)
    {
        switch (e)
        {
            case FileOfferEvent o:
                _peers[o.Id] = o.From;
                var what = o.Files == 1 && o.Folders == 0 ? $"the file {o.Name}" : $"the folder {o.Name} ({o.Files} files)";
                return ($"{o.From} offers {what}, {Size(o.Size)}: /accept {o.Id[..8]} [FOLDER] or /reject {o.Id[..8]}", Buffer(o.From), false);
            case FileQueuedEvent q: _peers[q.Id] = q.To; return ($"{q.Name} waits for {q.To}: {q.Reason}", Buffer(q.To), false);
            case FileOfferedEvent o: _peers[o.Id] = o.To; return ($"offered {o.Name} ({Size(o.Size)}) to {o.To}; waiting for an answer", Buffer(o.To), false);
            case FileAcceptedEvent { Direction: "send" } a: return ($"{a.User} accepted {Short(a.Id)}", Buffer(a.User), false);
            case FileAcceptedEvent a: _peers[a.Id] = a.User; return ($"saving {Short(a.Id)} to {a.Path}", Buffer(a.User), false);
            case FileRejectedEvent r: return ($"{Short(r.Id)} rejected: {r.Reason}", Buffer(r.User), false);
            case FileProgressEvent p:
                var tenths = p.Total == 0 ? 10 : (int)(p.Bytes * 10 / p.Total);
                if (_shownTenths.TryGetValue(p.Id, out var shown) && shown >= tenths) return (null, null, false);
                _shownTenths[p.Id] = tenths;
                var eta = p.Eta is { } s ? $", {s} s left" : "";
                return ($"{Short(p.Id)} {Bar(tenths)} {tenths * 10}% {Size(p.Bytes)}/{Size(p.Total)} at {Size(p.Rate)}/s{eta}", PeerBuffer(p.Id), false);
            case FileDoneEvent d:
                return (d.Direction == "send" ? $"{d.User} has {Path.GetFileName(d.Path)} ({Size(d.Size)}), verified" : $"received {d.Path} ({Size(d.Size)}), verified{(d.Sha256 is { } h ? " sha256 " + h[..16] + "…" : "")}", Buffer(d.User), false);
            case FileFailedEvent f: return ($"{Short(f.Id)} failed: {f.Reason}{(f.Resumable ? $" (/accept {Short(f.Id)} resumes it)" : "")}", PeerBuffer(f.Id), true);
            case FileCancelledEvent c: return ($"{Short(c.Id)} cancelled by {(c.By == "me" ? "you" : "the other side")}", PeerBuffer(c.Id), false);
            case FileWaitingEvent w: return ($"{Short(w.Id)} waits for a direct path: {w.Reason}", PeerBuffer(w.Id), false);
            case FileInterruptedEvent i: return ($"{Short(i.Id)} interrupted ({i.Reason}); it resumes by itself", PeerBuffer(i.Id), false);
            case FileRefusedEvent r: return ($"refused from {r.From}: {r.Reason}", Buffer(r.From), true);
            case TransfersEvent t:
                return (t.Transfers.Count == 0 ? "no transfers" : string.Join("\n", t.Transfers.Select(x =>
                    $"{x.Id[..8]} {(x.Direction == "send" ? "→" : "←")} {x.User} {x.Name} {Size(x.Bytes)}/{Size(x.Size)} {x.Status}")), null, false);
            default: return (null, null, false);
        }
    }

    private static string Short(string id) => id.Length >= 8 ? id[..8] : id;

    private static string Buffer(string user) => HistoryBuffers.ForTarget(user);

    private string? PeerBuffer(string id) => _peers.TryGetValue(id, out var user) ? Buffer(user) : null;

    private static string Bar(int tenths) => "[" + new string('#', tenths) + new string('.', 10 - tenths) + "]";

    internal static string Size(long bytes) => bytes switch
    {
        < 1000 => $"{bytes} B",
        < 1_000_000 => $"{bytes / 1e3:0.0} kB",
        < 1_000_000_000 => $"{bytes / 1e6:0.0} MB",
        _ => $"{bytes / 1e9:0.00} GB",
    };
}
