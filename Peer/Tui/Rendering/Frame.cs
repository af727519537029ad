// One composed screen: a styled row per terminal line, plus where the cursor goes.
using System.Text;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Rendering;

/// <summary>Every row is exactly <see cref="Width"/> cells wide; there are exactly <see cref="Height"/> rows.</summary>
public sealed record Frame(IReadOnlyList<SegmentLine> Rows, int Width, int Height, int CursorRow, int CursorColumn)
{
    /// <summary>The frame as plain text, one string per row (for tests and text captures).</summary>
    public IReadOnlyList<string> PlainLines()
    {
        var lines = new string[Rows.Count];
        var sb = new StringBuilder();
        for (int i = 0; i < Rows.Count; i++)
        {
            sb.Clear();
            foreach (var segment in Rows[i]) sb.Append(segment.Text);
            lines[i] = sb.ToString();
        }
        return lines;
    }

    public string PlainText() => string.Join('\n', PlainLines());

    /// <summary>The frame as ANSI-styled strings, one per row, exactly as the renderer sends them.</summary>
    public IReadOnlyList<string> AnsiLines() => new AnsiLineEncoder().Encode(this);
}
