// The view state's parts for the files and rooms issues: transfers in progress and a room's host and succession.
using P2PChat.Peer.Tui.Text;

namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Transfers are kept in the order they were first reported; a finished one stays until removed (the files
/// layer decides when). A room buffer ("&amp;name") knows its host and the succession (who takes over next, in order).
/// </summary>
public sealed partial class ChatViewState
{
    private readonly List<TransferView> _transfers = [];

    /// <summary>Adds or updates a transfer (matched by id). Names are sanitised.</summary>
    public void SetTransfer(TransferView transfer) => Mutate(() =>
    {
        var clean = transfer with { Peer = TextSanitizer.Clean(transfer.Peer, keepNewlines: false), File = TextSanitizer.Clean(transfer.File, keepNewlines: false) };
        int index = _transfers.FindIndex(t => t.Id == transfer.Id);
        if (index >= 0) _transfers[index] = clean;
        else _transfers.Add(clean);
    });

    public void RemoveTransfer(string id) => Mutate(() => _transfers.RemoveAll(t => t.Id == id));

    /// <summary>A copy of the transfers, in the order they were first reported.</summary>
    public IReadOnlyList<TransferView> Transfers() { lock (Gate) return [.. _transfers]; }

    /// <summary>A room's host and succession, shown in its member list.</summary>
    public void SetRoomRoles(string roomId, string host, IEnumerable<string> succession) => Mutate(() =>
    {
        var buffer = Buffers.GetOrAdd(roomId);
        buffer.RoomHost = TextSanitizer.Clean(host, keepNewlines: false);
        buffer.RoomSuccession = [.. succession.Select(n => TextSanitizer.Clean(n, keepNewlines: false))];
    });
}
