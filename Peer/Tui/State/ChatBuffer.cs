// One buffer's state: scrollback, activity counters, members, scroll positions, route and input draft. Guarded by the view state's lock.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Scroll position: <see cref="ScrollLines"/> display lines above the bottom, measured when the position was
/// pinned; entries appended since then (<see cref="MessageLog.TotalAppended"/> - <see cref="ScrollPinnedAt"/>) are
/// added at render time so the view stays still while messages arrive. ScrollLines == 0 means "follow the tail".
/// </summary>
internal sealed class ChatBuffer(string id, BufferKind kind, long order, int capacity)
{
    public string Id { get; } = id;
    public BufferKind Kind { get; } = kind;
    public long Order { get; } = order;
    public string Title { get; set; } = "";
    public MessageLog Log { get; } = new(capacity);
    public int Unread { get; set; }
    public int Highlights { get; set; }
    public Dictionary<string, MemberPresence> Members { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int ScrollLines { get; set; }
    public long ScrollPinnedAt { get; set; }
    public PeerRoute Route { get; set; }

    /// <summary>The input line as it was when another buffer was switched to; restored on coming back.</summary>
    public InputDraft Draft { get; set; } = InputDraft.Empty;

    /// <summary>Index (in display order) of the first member shown in the member list; 0 = the top.</summary>
    public int MemberOffset { get; set; }

    /// <summary>A room's host (empty for other buffers).</summary>
    public string RoomHost { get; set; } = "";

    /// <summary>Who becomes host next, in order (rooms only).</summary>
    public IReadOnlyList<string> RoomSuccession { get; set; } = [];

    public bool HasMemberList => Kind is BufferKind.General or BufferKind.Channel or BufferKind.Room;

    public void ClearActivity() => (Unread, Highlights) = (0, 0);
}
