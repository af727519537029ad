// The buffer list: every buffer with its Alt-number, name, unread count and highlight count.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>
/// Row layout: number right-aligned in 2 cells (the Alt-number for 1..9, 0 for the 10th) · space · name ·
/// counts right-aligned: unread as "5", highlights as "2!". The current buffer is drawn inverted.
/// When there are more buffers than rows, the list scrolls to keep the current one visible.
/// </summary>
internal static class BufferListWidget
{
    public static List<StyledRow> Render(BufferSet buffers, int width, int height)
    {
        var list = buffers.Ordered;
        int first = FirstShown(buffers, height);
        var rows = new List<StyledRow>(height);
        for (int i = first; i < list.Count && rows.Count < height; i++)
            rows.Add(Row(list[i], i, list[i] == buffers.Current, width));
        while (rows.Count < height) rows.Add(RowBuilder.Blank(width));
        return rows;
    }

    /// <summary>The list position of the buffer drawn on <paramref name="row"/>, or -1 for a blank row.</summary>
    public static int IndexAtRow(BufferSet buffers, int height, int row)
    {
        int index = FirstShown(buffers, height) + row;
        return row >= 0 && row < height && index < buffers.Ordered.Count ? index : -1;
    }

    private static int FirstShown(BufferSet buffers, int height) => Math.Max(0, buffers.IndexOf(buffers.Current) - height + 1);

    private static StyledRow Row(ChatBuffer buffer, int index, bool current, int width)
    {
        string number = index < 10 ? ((index + 1) % 10).ToString() : "";
        string unread = buffer.Unread > 0 ? buffer.Unread.ToString() : "";
        string highlights = buffer.Highlights > 0 ? buffer.Highlights + "!" : "";
        string counts = (unread + (unread.Length > 0 && highlights.Length > 0 ? " " : "") + highlights).Trim();
        var nameStyle = current ? Theme.BufferCurrent
            : buffer.Highlights > 0 ? Theme.BufferHighlight
            : buffer.Unread > 0 ? Theme.BufferUnread
            : Theme.BufferIdle;

        var row = new RowBuilder(width);
        row.AddFixed(number, 2, current ? Theme.BufferCurrent : Theme.BufferNumber, alignRight: true).Add(" ", nameStyle);
        int countWidth = counts.Length == 0 ? 0 : counts.Length + 1;
        row.AddFixed(buffer.Id, Math.Max(0, row.Remaining - countWidth), nameStyle);
        if (countWidth > 0)
        {
            row.Add(" ", nameStyle);
            if (unread.Length > 0) row.Add(unread, current ? nameStyle : Theme.UnreadCount);
            if (unread.Length > 0 && highlights.Length > 0) row.Add(" ", nameStyle);
            if (highlights.Length > 0) row.Add(highlights, current ? nameStyle : Theme.HighlightCount);
        }
        return row.Build(nameStyle);
    }
}
