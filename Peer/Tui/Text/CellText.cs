// Terminal cell widths of text elements and strings, as Terminal.Gui measures them.
using System.Globalization;
using System.Text;
using Terminal.Gui.Text;

namespace P2PChat.Peer.Tui.Text;

/// <summary>
/// Measures how many terminal cells text occupies, per text element (grapheme cluster), exactly as Terminal.Gui
/// lays it out (<c>string.GetColumns()</c> of the element, clamped to 0..2), so wrapping and padding agree with the
/// cells the views draw into: "e\u0301" is 1, "日" is 2, "👨‍👩‍👧" and "👍🏽" are 2. (tmux 3.3 draws "👍🏽" as 4 cells,
/// so a line holding a skin-tone emoji ends two cells late there; Terminal.Gui has no way to follow that rule.)
/// </summary>
public static class CellText
{
    /// <summary>Cells taken by one text element (a result of <see cref="StringInfo"/> enumeration).</summary>
    public static int ElementWidth(string element)
    {
        if (element.Length == 1 && element[0] >= 0x20 && element[0] < 0x7F) return 1;
        return Math.Clamp(element.GetColumns(), 0, 2);
    }

    /// <summary>Cells taken by a whole string.</summary>
    public static int Width(string text)
    {
        if (IsPlainAscii(text)) return text.Length;
        int width = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext()) width += ElementWidth(elements.GetTextElement());
        return width;
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="cells"/>, and its width.</summary>
    public static (string Text, int Width) Truncate(string text, int cells)
    {
        if (cells <= 0) return ("", 0);
        if (IsPlainAscii(text)) return text.Length <= cells ? (text, text.Length) : (text[..cells], cells);
        int width = 0, end = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            int w = ElementWidth(elements.GetTextElement());
            if (width + w > cells) break;
            width += w;
            end = elements.ElementIndex + elements.GetTextElement().Length;
        }
        return (text[..end], width);
    }

    /// <summary>True when every char is printable ASCII, so one char is one cell.</summary>
    public static bool IsPlainAscii(string text)
    {
        foreach (char c in text)
            if (c < 0x20 || c >= 0x7F) return false;
        return true;
    }
}
