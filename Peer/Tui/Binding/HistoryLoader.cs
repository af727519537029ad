// Fills the view state's scrollback from the profile's history database at start, so it survives restarts.
using P2PChat.Peer.History;
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Binding;

public static class HistoryLoader
{
    public const int LinesPerBuffer = 10_000;

    /// <summary>
    /// Opens a buffer for every conversation in <paramref name="store"/> (most recently active first) and puts its
    /// last <paramref name="perBuffer"/> lines above what it shows. Call after <see cref="ChatViewState.SetMyNick"/>
    /// so old mentions are highlighted. Returns the number of lines loaded.
    /// </summary>
    public static int Load(HistoryStore store, ChatViewState state, int perBuffer = LinesPerBuffer)
    {
        int loaded = 0;
        foreach (var buffer in store.Buffers())
        {
            if (buffer is not ['#' or '@', _, ..]) continue; // not a conversation this UI knows
            var lines = store.Recent(buffer, perBuffer);
            state.LoadHistory(buffer, lines.Select(ToMessage));
            loaded += lines.Count;
        }
        return loaded;
    }

    public static ChatMessage ToMessage(HistoryEntry entry) => new(entry.SentAt, entry.Sender, entry.Text, entry.Kind switch
    {
        HistoryKind.Own => MessageKind.Own,
        HistoryKind.Notice => MessageKind.Notice,
        HistoryKind.Error => MessageKind.Error,
        _ => MessageKind.Normal,
    }, Encrypted: entry.Encrypted);
}
