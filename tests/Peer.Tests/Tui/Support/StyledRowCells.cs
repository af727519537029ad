// Test helper: how many terminal cells a composed row takes.
using P2PChat.Peer.Tui.Text;
using P2PChat.Peer.Tui.Widgets;

namespace P2PChat.Peer.Tests.Tui.Support;

internal static class StyledRowCells
{
    public static int CellCount(this StyledRow row) => row.Sum(run => CellText.Width(run.Text));
}
