// The member list of the current channel: a count, then members by presence (online, away, offline) and name.
using P2PChat.Peer.Tui.State;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>Row layout: a one-char presence mark ('+' online, '~' away, ' ' offline) and the nick in the presence colour.</summary>
internal static class MemberListWidget
{
    public static List<SegmentLine> Render(ChatBuffer buffer, int width, int height)
    {
        var rows = new List<SegmentLine>(height);
        int online = buffer.Members.Values.Count(p => p != Presence.Offline);
        if (height > 0) rows.Add(new RowBuilder(width).Add($"{online}/{buffer.Members.Count} online", Theme.MemberHeader).Build());
        var ordered = buffer.Members.OrderBy(m => m.Value).ThenBy(m => m.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (nick, presence) in ordered)
        {
            if (rows.Count >= height) break;
            var (mark, style) = presence switch
            {
                Presence.Online => ("+", Theme.MemberOnline),
                Presence.Away => ("~", Theme.MemberAway),
                _ => (" ", Theme.MemberOffline),
            };
            rows.Add(new RowBuilder(width).Add(mark, style).Add(nick, style).Build());
        }
        while (rows.Count < height) rows.Add(RowBuilder.Blank(width));
        return rows;
    }
}
