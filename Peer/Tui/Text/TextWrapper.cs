// Word-wraps text to a number of terminal cells, by text element, never splitting a surrogate pair or cluster.
using System.Globalization;

namespace P2PChat.Peer.Tui.Text;

/// <summary>
/// Wraps at spaces where it can and inside a word only when one word is wider than the line. '\n' forces a
/// break. Spaces at a soft break are dropped; an element wider than the whole line still gets a line of its own.
/// </summary>
public static class TextWrapper
{
    public static List<string> Wrap(string text, int width)
    {
        width = Math.Max(1, width);
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
            WrapParagraph(paragraph, width, lines);
        return lines;
    }

    private static void WrapParagraph(string text, int width, List<string> lines)
    {
        if (text.Length == 0) { lines.Add(""); return; }
        var (starts, widths) = Elements(text);
        int count = widths.Length, i = 0;
        while (i < count)
        {
            int lineStart = i, used = 0, lastSpace = -1, j = i;
            while (j < count && used + widths[j] <= width)
            {
                if (IsSpace(text, starts, j)) lastSpace = j;
                used += widths[j++];
            }
            if (j >= count) { lines.Add(Slice(text, starts, lineStart, j)); break; }
            if (IsSpace(text, starts, j)) { lines.Add(Slice(text, starts, lineStart, j)); i = j; }
            else if (lastSpace > lineStart) { lines.Add(Slice(text, starts, lineStart, lastSpace)); i = lastSpace + 1; }
            else { j = Math.Max(j, lineStart + 1); lines.Add(Slice(text, starts, lineStart, j)); i = j; }
            while (i < count && IsSpace(text, starts, i)) i++;
        }
    }

    // starts[k] is the char index where element k begins; starts has one extra entry: the text length.
    private static (int[] Starts, int[] Widths) Elements(string text)
    {
        if (CellText.IsPlainAscii(text))
        {
            var s = new int[text.Length + 1];
            var w = new int[text.Length];
            for (int k = 0; k <= text.Length; k++) s[k] = k;
            Array.Fill(w, 1);
            return (s, w);
        }
        var boundaries = StringInfo.ParseCombiningCharacters(text);
        var starts = new int[boundaries.Length + 1];
        var widths = new int[boundaries.Length];
        for (int k = 0; k < boundaries.Length; k++)
        {
            int end = k + 1 < boundaries.Length ? boundaries[k + 1] : text.Length;
            starts[k] = boundaries[k];
            widths[k] = CellText.ElementWidth(text[boundaries[k]..end]);
        }
        starts[^1] = text.Length;
        return (starts, widths);
    }

    private static bool IsSpace(string text, int[] starts, int k) => text[starts[k]] == ' ' && starts[k + 1] - starts[k] == 1;

    private static string Slice(string text, int[] starts, int from, int to) => text[starts[from]..starts[to]].TrimEnd(' ');
}
