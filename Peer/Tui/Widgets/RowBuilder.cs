// Builds one screen row of a region as styled runs, exactly a given number of cells wide.
using P2PChat.Peer.Tui.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>Text past the width is cut by text element (a wide char that does not fit becomes padding); <see cref="Build"/> pads with spaces.</summary>
internal sealed class RowBuilder(int width)
{
    private readonly StyledRow _line = [];

    public int Width { get; } = Math.Max(0, width);
    public int Used { get; private set; }
    public int Remaining => Width - Used;

    public RowBuilder Add(string text, Attribute style)
    {
        var (fitted, cells) = CellText.Truncate(text, Remaining);
        if (fitted.Length > 0) _line.Add(new StyledRun(fitted, style));
        Used += cells;
        return this;
    }

    /// <summary>Adds <paramref name="text"/> padded (or cut) to exactly <paramref name="cells"/>, aligned left or right.</summary>
    public RowBuilder AddFixed(string text, int cells, Attribute style, bool alignRight = false, Attribute? padStyle = null)
    {
        var (fitted, used) = CellText.Truncate(text, Math.Min(cells, Remaining));
        var pad = new string(' ', Math.Max(0, Math.Min(cells, Remaining) - used));
        if (alignRight) Add(pad, padStyle ?? style).Add(fitted, style);
        else Add(fitted, style).Add(pad, padStyle ?? style);
        return this;
    }

    public StyledRow Build(Attribute? fill = null)
    {
        if (Remaining > 0) Add(new string(' ', Remaining), fill ?? Theme.Plain);
        return _line;
    }

    /// <summary>A row of <paramref name="width"/> spaces.</summary>
    public static StyledRow Blank(int width, Attribute? fill = null) => new RowBuilder(width).Build(fill);
}
