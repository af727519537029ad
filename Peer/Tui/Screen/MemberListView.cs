// The member list on the right (with its '│' separator); a click on a member opens a private buffer with them.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tui.Screen;

internal sealed class MemberListView(ChatViewState state, Action<string> openPrivate) : RowsView(state)
{
    internal override IReadOnlyList<StyledRow> Compose(int width, int height)
    {
        State.MemberRows = Math.Max(0, height - 1);
        var rows = MemberListWidget.Render(State.Buffers.Current, Math.Max(0, width - 1), height);
        foreach (var row in rows) row.Insert(0, new StyledRun("│", Theme.Separator));
        return rows;
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.IsWheel)
        {
            State.ScrollMembers(mouse.Flags.HasFlag(MouseFlags.WheeledUp) ? -1 : 1);
            return true;
        }
        if (!mouse.IsSingleClicked && !mouse.Flags.HasFlag(MouseFlags.LeftButtonPressed) || mouse.Position is not { } at) return false;
        string? nick;
        lock (State.Gate) nick = MemberListWidget.NickAtRow(State.Buffers.Current, Viewport.Height, at.Y);
        if (nick is not null) openPrivate(nick);
        return true;
    }
}
