// The "[#buffer] " prompt left of the input field.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Text;
using P2PChat.Peer.Tui.Widgets;

namespace P2PChat.Peer.Tui.Screen;

internal sealed class PromptView(ChatViewState state) : RowsView(state)
{
    public static string TextFor(string bufferId) => $"[{bufferId}] ";

    /// <summary>Cells the prompt takes for the current buffer (at most half the screen).</summary>
    public int WidthFor(int screenWidth)
    {
        lock (State.Gate) return Math.Min(CellText.Width(TextFor(State.Buffers.Current.Id)), Math.Max(1, screenWidth / 2));
    }

    internal override IReadOnlyList<StyledRow> Compose(int width, int height) =>
        [new RowBuilder(width).Add(TextFor(State.Buffers.Current.Id), Theme.Prompt).Build()];
}
