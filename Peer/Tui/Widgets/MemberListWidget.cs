// The member list of the current channel: a count, then members by presence (online, away, offline) and name.
using P2PChat.Peer.Tui.State;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>
/// Row layout: the header ("7/9 online"), then a window of members (<see cref="MemberWindow"/>), each a one-char
/// presence mark ('+' online, '~' away, ' ' offline) and the nick in the presence colour. A list longer than
/// the rows shows "+N above" / "+N more" hint rows (Alt-Up / Alt-Down scroll it). In a room ("&amp;name") the
/// header names the host and the succession follows each nick as its place (1 = next host).
/// </summary>
internal static class MemberListWidget
{
    public static List<StyledRow> Render(ChatBuffer buffer, int width, int height)
    {
        var rows = new List<StyledRow>(height);
        int online = buffer.Members.Values.Count(p => p != MemberPresence.Offline);
        var header = buffer.Kind == BufferKind.Room && buffer.RoomHost.Length > 0 ? $"host {buffer.RoomHost}" : $"{online}/{buffer.Members.Count} online";
        if (height > 0) rows.Add(new RowBuilder(width).Add(header, Theme.MemberHeader).Build());
        var ordered = MemberOrder.Sorted(buffer.Members);
        var window = MemberWindow.For(ordered.Count, buffer.MemberOffset, height - 1);
        if (window.Above > 0) rows.Add(Hint($"+{window.Above} above", width));
        foreach (var (nick, presence) in ordered.Skip(window.Start).Take(window.Shown))
        {
            var (mark, style) = presence switch
            {
                MemberPresence.Online => ("+", Theme.MemberOnline),
                MemberPresence.Away => ("~", Theme.MemberAway),
                _ => (" ", Theme.MemberOffline),
            };
            rows.Add(MemberRow(buffer, nick, mark, style, width));
        }
        if (window.Below > 0) rows.Add(Hint($"+{window.Below} more", width));
        while (rows.Count < height) rows.Add(RowBuilder.Blank(width));
        return rows;
    }

    /// <summary>
    /// A member row; in a room the host is marked "*" and drawn in the host colour, and each successor gets its
    /// place in the succession after the nick: "bob 1" takes over next.
    /// </summary>
    private static StyledRow MemberRow(ChatBuffer buffer, string nick, string mark, Attribute style, int width)
    {
        var row = new RowBuilder(width);
        if (buffer.Kind != BufferKind.Room) return row.Add(mark, style).Add(nick, style).Build();
        bool host = string.Equals(nick, buffer.RoomHost, StringComparison.OrdinalIgnoreCase);
        int next = buffer.RoomSuccession.ToList().FindIndex(n => string.Equals(n, nick, StringComparison.OrdinalIgnoreCase));
        row.Add(host ? "*" : mark, host ? Theme.MemberHost : style).Add(nick, host ? Theme.MemberHost : style);
        if (next >= 0) row.Add($" {next + 1}", Theme.MemberHeader);
        return row.Build();
    }

    /// <summary>The nick drawn on <paramref name="row"/> (0 is the header), or null for the header, a hint or a blank row.</summary>
    public static string? NickAtRow(ChatBuffer buffer, int height, int row)
    {
        var ordered = MemberOrder.Sorted(buffer.Members);
        var window = MemberWindow.For(ordered.Count, buffer.MemberOffset, height - 1);
        int k = row - 1 - (window.Above > 0 ? 1 : 0);
        return k >= 0 && k < window.Shown ? ordered[window.Start + k].Key : null;
    }

    private static StyledRow Hint(string text, int width) => new RowBuilder(width).Add(text, Theme.MemberHeader).Build();
}
