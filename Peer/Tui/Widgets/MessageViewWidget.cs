// The message view: the visible window of a buffer's scrollback, wrapped and styled, bottom-aligned.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>
/// Line layout (cells): "HH:mm" · 1 space · nick right-aligned in the nick column · 1 space · '│' · 1 space · text.
/// Continuation lines of a wrapped message leave the prefix blank and keep the '│'. The '│' is green for an
/// end-to-end encrypted message. A "── date ──" line precedes the first message of each new local day.
/// Only the lines that are visible (plus the scroll offset above the bottom) are laid out, newest first.
/// </summary>
internal static class MessageViewWidget
{
    private const int TimeWidth = 5;

    public static int NickWidth(int viewWidth) => viewWidth >= 60 ? 12 : 9;

    public static int PrefixWidth(int viewWidth) => TimeWidth + 1 + NickWidth(viewWidth) + 3;

    public static int TextWidth(int viewWidth) => Math.Max(1, viewWidth - PrefixWidth(viewWidth));

    public static List<StyledRow> Render(ChatBuffer buffer, int width, int height, TimeZoneInfo zone)
    {
        int textWidth = TextWidth(width);
        int offset = ScrollMath.EffectiveOffset(buffer, textWidth);
        var log = buffer.Log;

        // Pass 1: how many lines exist up to offset + height above the bottom (the offset may exceed them after a resize).
        long available = 0;
        for (int i = log.Count - 1; i >= 0 && available < (long)offset + height; i--) available += log[i].LineCount(textWidth);
        int skip = (int)Math.Min(offset, Math.Max(0, available - height));

        // Pass 2: lay out only the entries that reach into [skip, skip + height) counted from the bottom.
        var newestFirst = new List<StyledRow>(height + 8);
        int below = 0;
        for (int i = log.Count - 1; i >= 0 && below + newestFirst.Count < skip + height; i--)
        {
            int lines = log[i].LineCount(textWidth);
            if (newestFirst.Count == 0 && below + lines <= skip) { below += lines; continue; }
            AddEntryNewestFirst(log[i], width, textWidth, zone, newestFirst);
        }
        int first = skip - below;
        int visible = Math.Clamp(newestFirst.Count - first, 0, height);

        var rows = new List<StyledRow>(height);
        for (int k = 0; k < height - visible; k++) rows.Add(RowBuilder.Blank(width));
        for (int k = first + visible - 1; k >= first; k--) rows.Add(newestFirst[k]);
        return rows;
    }

    private static void AddEntryNewestFirst(LogEntry entry, int width, int textWidth, TimeZoneInfo zone, List<StyledRow> newestFirst)
    {
        var message = entry.Message;
        var wrapped = entry.WrappedText(textWidth);
        for (int line = wrapped.Count - 1; line >= 0; line--)
            newestFirst.Add(MessageRow(message, line == 0, wrapped[line], width, zone));
        if (entry.DayBreak) newestFirst.Add(DayBreakRow(message.Time, width, zone));
    }

    private static StyledRow MessageRow(ChatMessage message, bool first, string text, int width, TimeZoneInfo zone)
    {
        var row = new RowBuilder(width);
        int nickWidth = NickWidth(width);
        if (first)
        {
            row.Add(TimeZoneInfo.ConvertTime(message.Time, zone).ToString("HH:mm"), Theme.Time).Add(" ", Theme.Plain);
            row.AddFixed(FitNick(message.Sender, nickWidth), nickWidth, SenderStyle(message), alignRight: true, padStyle: Theme.Plain);
        }
        else
        {
            row.Add(new string(' ', TimeWidth + 1 + nickWidth), Theme.Plain);
        }
        row.Add(" ", Theme.Plain).Add("│", message.Encrypted ? Theme.EncryptedMark : Theme.Separator).Add(" ", Theme.Plain);
        row.Add(text, TextStyle(message));
        return row.Build();
    }

    private static StyledRow DayBreakRow(DateTimeOffset time, int width, TimeZoneInfo zone)
    {
        var label = $"── {TimeZoneInfo.ConvertTime(time, zone):dddd d MMMM yyyy} ";
        return new RowBuilder(width).Add(label + new string('─', Math.Max(0, width - CellText.Width(label))), Theme.DayBreak).Build();
    }

    /// <summary>Nicks longer than the column keep their start and end with '+', as WeeChat does.</summary>
    private static string FitNick(string nick, int width) =>
        CellText.Width(nick) <= width ? nick : CellText.Truncate(nick, width - 1).Text + "+";

    private static Attribute SenderStyle(ChatMessage message) => message.Kind switch
    {
        MessageKind.Notice => Theme.NoticeTag,
        MessageKind.Error => Theme.ErrorTag,
        MessageKind.Own => Theme.OwnNick,
        _ when message.Highlight => Theme.HighlightNick,
        _ => new Attribute(NickColor.For(message.Sender), Theme.Default),
    };

    private static Attribute TextStyle(ChatMessage message) => message.Kind switch
    {
        MessageKind.Notice => Theme.NoticeText,
        MessageKind.Error => Theme.ErrorText,
        _ when message.Highlight => Theme.HighlightText,
        _ => Theme.Plain,
    };
}
