// The status line above the input: clock, connection, me@server, buffer, route, -MORE-, the buzz flash.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;

namespace P2PChat.Peer.Tui.Screen;

internal sealed class StatusLineView(ChatViewState state) : RowsView(state)
{
    internal override IReadOnlyList<StyledRow> Compose(int width, int height)
    {
        var buffers = State.Buffers;
        var current = buffers.Current;
        var zone = State.Time.LocalTimeZone;
        var localNow = TimeZoneInfo.ConvertTime(State.Time.GetUtcNow(), zone);
        int offset = ScrollMath.EffectiveOffset(current, State.Viewport.TextWidth);
        return [StatusBarWidget.Render(State.Status, current, buffers.IndexOf(current), offset, localNow, width)];
    }
}
