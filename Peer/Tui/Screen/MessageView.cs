// The message view: the visible window of the current buffer's scrollback; the mouse wheel scrolls it.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>Only the visible rows are laid out (see <see cref="MessageViewWidget"/>); the wheel moves three lines per notch.</summary>
internal sealed class MessageView(ChatViewState state) : RowsView(state)
{
    public const int WheelLines = 3;

    internal override IReadOnlyList<StyledRow> Compose(int width, int height)
    {
        State.Viewport = (MessageViewWidget.TextWidth(width), height);
        return MessageViewWidget.Render(State.Buffers.Current, width, height, State.Time.LocalTimeZone);
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (!mouse.IsWheel) return false;
        State.ScrollLines(mouse.Flags.HasFlag(MouseFlags.WheeledUp) ? WheelLines : -WheelLines);
        return true;
    }
}
