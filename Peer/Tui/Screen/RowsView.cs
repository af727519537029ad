// A Terminal.Gui view that draws one region of the screen from styled rows composed out of the view state.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.ViewBase;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Subclasses compose their rows under the view state's lock (<see cref="Compose"/>, pure); drawing writes only
/// the visible rows, one attribute change per run. Never focusable: the input field keeps the focus.
/// </summary>
internal abstract class RowsView : View
{
    protected RowsView(ChatViewState state)
    {
        State = state;
        CanFocus = false;
    }

    protected ChatViewState State { get; }

    /// <summary>Exactly <paramref name="height"/> rows of <paramref name="width"/> cells; the caller holds the state's lock.</summary>
    internal abstract IReadOnlyList<StyledRow> Compose(int width, int height);

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width, height = Viewport.Height;
        if (width <= 0 || height <= 0) return true;
        IReadOnlyList<StyledRow> rows;
        lock (State.Gate) rows = Compose(width, height);
        for (int r = 0; r < rows.Count && r < height; r++)
        {
            Move(0, r);
            foreach (var run in rows[r])
            {
                SetAttribute(run.Style);
                AddStr(run.Text);
            }
        }
        context?.AddDrawnRectangle(ViewportToScreen(Viewport with { X = 0, Y = 0 }));
        return true;
    }
}
