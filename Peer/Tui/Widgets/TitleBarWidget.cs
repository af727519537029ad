// The title bar: what the current buffer is (name, kind, member count) and its title or topic.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Widgets;

internal static class TitleBarWidget
{
    public static StyledRow Render(ChatBuffer buffer, int width)
    {
        var row = new RowBuilder(width).Add(" " + buffer.Id, Theme.Bar);
        string detail = buffer.Kind switch
        {
            BufferKind.Private => "private conversation",
            _ => $"{buffer.Members.Count} members",
        };
        row.Add("  " + detail, Theme.BarDim);
        if (buffer.Title.Length > 0) row.Add(" │ " + buffer.Title, Theme.Bar);
        return row.Build(Theme.Bar);
    }
}
