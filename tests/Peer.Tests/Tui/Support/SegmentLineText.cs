// The plain text of a widget row, for assertions.
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tests.Tui.Support;

public static class SegmentLineText
{
    public static string PlainText(this SegmentLine row) => string.Concat(row.Select(s => s.Text));
}
