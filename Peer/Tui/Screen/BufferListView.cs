// The buffer list on the left (with its '│' separator); a click switches to the buffer clicked.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tui.Screen;

internal sealed class BufferListView(ChatViewState state, Action<int> switchTo) : RowsView(state)
{
    internal override IReadOnlyList<StyledRow> Compose(int width, int height)
    {
        var rows = BufferListWidget.Render(State.Buffers, Math.Max(0, width - 1), height);
        foreach (var row in rows) row.Add(new StyledRun("│", Theme.Separator));
        return rows;
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (!mouse.IsSingleClicked && !mouse.Flags.HasFlag(MouseFlags.LeftButtonPressed) || mouse.Position is not { } at) return false;
        int index;
        lock (State.Gate) index = BufferListWidget.IndexAtRow(State.Buffers, Viewport.Height, at.Y);
        if (index >= 0) switchTo(index);
        return true;
    }
}
