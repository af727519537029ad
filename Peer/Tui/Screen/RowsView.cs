// A Terminal.Gui view that draws one region of the screen from styled rows composed out of the view state.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.ViewBase;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Subclasses compose their rows under the view state's lock (<see cref="Compose"/>, pure). Each frame
/// <see cref="Recompose"/> composes them again and marks the view dirty only when a row differs from what is on
/// screen, so a message in one buffer redraws the message view, not the whole screen. Drawing writes every visible
/// cell (rows are padded to the width), so the toolkit's clearing of the viewport is skipped. Never focusable: the
/// input field keeps the focus.
/// </summary>
internal abstract class RowsView : View
{
    private IReadOnlyList<StyledRow>? _rows;
    private (int Width, int Height) _rowsSize;

    protected RowsView(ChatViewState state)
    {
        State = state;
        CanFocus = false;
    }

    protected ChatViewState State { get; }

    /// <summary>Exactly <paramref name="height"/> rows of <paramref name="width"/> cells; the caller holds the state's lock.</summary>
    internal abstract IReadOnlyList<StyledRow> Compose(int width, int height);

    /// <summary>Composes the rows for the current size; when they differ from the drawn ones, marks the view dirty and returns true.</summary>
    internal bool Recompose()
    {
        var size = (Viewport.Width, Viewport.Height);
        if (size.Width <= 0 || size.Height <= 0) return false;
        IReadOnlyList<StyledRow> rows;
        lock (State.Gate) rows = Compose(size.Width, size.Height);
        if (_rows is not null && _rowsSize == size && Same(_rows, rows)) return false;
        (_rows, _rowsSize) = (rows, size);
        SetNeedsDraw();
        return true;
    }

    private static bool Same(IReadOnlyList<StyledRow> a, IReadOnlyList<StyledRow> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (!a[i].SameAs(b[i])) return false;
        return true;
    }

    protected override bool OnClearingViewport() => true;

    protected override bool OnDrawingContent(DrawContext? context)
    {
        int width = Viewport.Width, height = Viewport.Height;
        if (width <= 0 || height <= 0) return true;
        if (_rows is null || _rowsSize != (width, height))
        {
            lock (State.Gate) _rows = Compose(width, height);
            _rowsSize = (width, height);
        }
        var rows = _rows;
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
