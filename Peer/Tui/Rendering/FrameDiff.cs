// Computes the terminal output that turns the previous frame's lines into the next one's: only changed lines.
using System.Text;

namespace P2PChat.Peer.Tui.Rendering;

/// <summary>
/// For each changed row r (0-based) emits "ESC[{r+1};1H" followed by the row's ANSI text; rows are full width,
/// so nothing needs erasing. A full redraw (first frame, resize, Ctrl-L) clears the screen and emits every row.
/// </summary>
internal static class FrameDiff
{
    /// <summary>Appends the update to <paramref name="output"/> and returns how many rows it redraws.</summary>
    public static int Append(StringBuilder output, IReadOnlyList<string>? previous, IReadOnlyList<string> next, bool full)
    {
        full |= previous is null || previous.Count != next.Count;
        if (full) output.Append("\e[0m\e[2J");
        int changed = 0;
        for (int r = 0; r < next.Count; r++)
        {
            if (!full && previous![r] == next[r]) continue;
            output.Append("\e[").Append(r + 1).Append(";1H").Append(next[r]);
            changed++;
        }
        return changed;
    }
}
