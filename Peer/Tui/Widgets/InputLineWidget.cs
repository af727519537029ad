// The input line: a prompt naming the current buffer, then the text, scrolled sideways to keep the cursor visible.
using System.Globalization;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.Text;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Widgets;

internal static class InputLineWidget
{
    /// <summary>The row, and the 0-based column where the terminal cursor belongs.</summary>
    public static (SegmentLine Row, int CursorColumn) Render(LineEditor editor, string bufferId, int width)
    {
        var row = new RowBuilder(width).Add($"[{bufferId}] ", Theme.Prompt);
        int room = Math.Max(1, row.Remaining);
        var (visible, cursorCells) = VisibleWindow(editor.Text, editor.Cursor, room);
        int promptWidth = row.Used;
        row.Add(visible, Theme.Plain);
        return (row.Build(), Math.Min(width - 1, promptWidth + cursorCells));
    }

    /// <summary>
    /// The part of <paramref name="text"/> to show in <paramref name="room"/> cells: starts at the first element
    /// such that the cursor still fits (one cell kept for the cursor itself), and the cursor's cell in it.
    /// </summary>
    internal static (string Text, int CursorCells) VisibleWindow(string text, int cursor, int room)
    {
        int cursorCells = CellText.Width(text[..cursor]);
        if (cursorCells < room) return (CellText.Truncate(text, room).Text, cursorCells);
        int start = 0, dropped = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (cursorCells - dropped >= room && elements.MoveNext())
        {
            dropped += CellText.ElementWidth(elements.GetTextElement());
            start = elements.ElementIndex + elements.GetTextElement().Length;
        }
        return (CellText.Truncate(text[start..], room).Text, cursorCells - dropped);
    }
}
