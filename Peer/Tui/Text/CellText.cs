// Terminal cell widths of text elements and strings, as Spectre.Console measures them.
using System.Globalization;
using System.Text;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Text;

/// <summary>
/// Measures how many terminal cells text occupies. A text element (grapheme cluster) is as wide as its
/// first rune by Spectre's wcwidth table, clamped to 0..2: combining marks, variation selectors, skin tones
/// and zero-width joiners ride on the first rune, which is how terminals such as tmux lay them out.
/// </summary>
public static class CellText
{
    /// <summary>Cells taken by one text element (a result of <see cref="StringInfo"/> enumeration).</summary>
    public static int ElementWidth(string element)
    {
        if (element.Length == 0) return 0;
        char c = element[0];
        if (element.Length == 1 && c >= 0x20 && c < 0x7F) return 1;
        var first = Rune.TryGetRuneAt(element, 0, out var rune) ? rune.ToString() : "\uFFFD";
        int width = new Segment(first).CellCount();
        return Math.Clamp(width, 0, 2);
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
