// Builds one screen row of a region as Spectre segments, exactly a given number of cells wide.
using P2PChat.Peer.Tui.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>Text past the width is cut by text element (a wide char that does not fit becomes padding); <see cref="Build"/> pads with spaces.</summary>
internal sealed class RowBuilder(int width)
{
    private readonly SegmentLine _line = [];

    public int Width { get; } = Math.Max(0, width);
    public int Used { get; private set; }
    public int Remaining => Width - Used;

    public RowBuilder Add(string text, Style style)
    {
        var (fitted, cells) = CellText.Truncate(text, Remaining);
        if (fitted.Length > 0) _line.Add(new Segment(fitted, style));
        Used += cells;
        return this;
    }

    /// <summary>Adds <paramref name="text"/> padded (or cut) to exactly <paramref name="cells"/>, aligned left or right.</summary>
    public RowBuilder AddFixed(string text, int cells, Style style, bool alignRight = false, Style? padStyle = null)
    {
        var (fitted, used) = CellText.Truncate(text, Math.Min(cells, Remaining));
        var pad = new string(' ', Math.Max(0, Math.Min(cells, Remaining) - used));
        if (alignRight) Add(pad, padStyle ?? style).Add(fitted, style);
        else Add(fitted, style).Add(pad, padStyle ?? style);
        return this;
    }

    public SegmentLine Build(Style? fill = null)
    {
        if (Remaining > 0) Add(new string(' ', Remaining), fill ?? Style.Plain);
        return _line;
    }

    /// <summary>A row of <paramref name="width"/> spaces.</summary>
    public static SegmentLine Blank(int width, Style? fill = null) => new RowBuilder(width).Build(fill);
}
