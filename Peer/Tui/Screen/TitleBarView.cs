// Row 0: what the current buffer is and its topic.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;

namespace P2PChat.Peer.Tui.Screen;

internal sealed class TitleBarView(ChatViewState state) : RowsView(state)
{
    internal override IReadOnlyList<StyledRow> Compose(int width, int height) => [TitleBarWidget.Render(State.Buffers.Current, width)];
}
