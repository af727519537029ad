// The editable text of the input line and its cursor, edited by text element (emoji and clusters stay whole).
using System.Globalization;
using P2PChat.Peer.Tui.Text;

namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// The cursor is a char index that always sits on a text-element boundary. A key event carrying only the
/// high half of a surrogate pair (terminals deliver an emoji as two key events) is held back until its low
/// half arrives; a lone half is dropped rather than inserted.
/// </summary>
public sealed class LineEditor
{
    public const int MaxLength = 8 * 1024;

    private char? _pendingHigh;

    public string Text { get; private set; } = "";
    public int Cursor { get; private set; }

    /// <summary>Terminal cells between the start of the text and the cursor.</summary>
    public int CursorCells => CellText.Width(Text[..Cursor]);

    /// <summary>Types one char from a key event, pairing surrogate halves.</summary>
    public void TypeChar(char c)
    {
        if (char.IsHighSurrogate(c)) { _pendingHigh = c; return; }
        if (char.IsLowSurrogate(c))
        {
            if (_pendingHigh is { } high) Insert(string.Concat(high, c));
            _pendingHigh = null;
            return;
        }
        _pendingHigh = null;
        if (!char.IsControl(c)) Insert(c.ToString());
    }

    public void Insert(string s)
    {
        s = TextSanitizer.Clean(s, keepNewlines: false);
        if (Text.Length + s.Length > MaxLength) return;
        Text = Text.Insert(Cursor, s);
        Cursor = SnapToBoundary(Cursor + s.Length);
    }

    public void MoveLeft() => Cursor = PreviousBoundary(Cursor);
    public void MoveRight() => Cursor = NextBoundary(Cursor);
    public void MoveHome() => Cursor = 0;
    public void MoveEnd() => Cursor = Text.Length;

    public void Backspace() => DeleteRange(PreviousBoundary(Cursor), Cursor);
    public void Delete() => DeleteRange(Cursor, NextBoundary(Cursor));

    /// <summary>Ctrl-W: deletes the spaces before the cursor, then the word before them.</summary>
    public void DeleteWordBackward()
    {
        int start = Cursor;
        while (start > 0 && Text[start - 1] == ' ') start--;
        while (start > 0 && Text[start - 1] != ' ') start--;
        DeleteRange(start, Cursor);
    }

    /// <summary>Ctrl-U: deletes from the start of the line to the cursor.</summary>
    public void DeleteToStart() => DeleteRange(0, Cursor);

    /// <summary>Ctrl-K: deletes from the cursor to the end of the line.</summary>
    public void DeleteToEnd() => DeleteRange(Cursor, Text.Length);

    /// <summary>Replaces the whole text and puts the cursor at <paramref name="cursor"/> (end when null).</summary>
    public void SetText(string text, int? cursor = null)
    {
        Text = TextSanitizer.Clean(text, keepNewlines: false);
        Cursor = SnapToBoundary(Math.Clamp(cursor ?? Text.Length, 0, Text.Length));
        _pendingHigh = null;
    }

    /// <summary>Returns the text and empties the line.</summary>
    public string Take()
    {
        var text = Text;
        SetText("");
        return text;
    }

    private void DeleteRange(int from, int to)
    {
        if (to <= from) return;
        Text = Text.Remove(from, to - from);
        Cursor = from;
    }

    private int PreviousBoundary(int index)
    {
        int previous = 0;
        foreach (int b in StringInfo.ParseCombiningCharacters(Text))
        {
            if (b >= index) break;
            previous = b;
        }
        return previous;
    }

    private int NextBoundary(int index)
    {
        foreach (int b in StringInfo.ParseCombiningCharacters(Text))
            if (b > index) return b;
        return Text.Length;
    }

    private int SnapToBoundary(int index)
    {
        if (index >= Text.Length) return Text.Length;
        foreach (int b in StringInfo.ParseCombiningCharacters(Text))
            if (b >= index) return b;
        return Text.Length;
    }
}
