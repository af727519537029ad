// Turns a frame's styled rows into ANSI strings, using an off-screen Spectre console that never touches the terminal.
using Spectre.Console;
using Spectre.Console.Advanced;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Rendering;

/// <summary>
/// Spectre writes each styled segment as "ESC[…m text ESC[0m", so every encoded line is self-contained and can
/// be redrawn on its own. The off-screen console's output goes to a StringWriter nobody reads.
/// </summary>
internal sealed class AnsiLineEncoder
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.EightBit,
        Interactive = InteractionSupport.No,
        Out = new AnsiConsoleOutput(new StringWriter()),
    });

    public string[] Encode(Frame frame)
    {
        _console.Profile.Width = Math.Max(1, frame.Width);
        _console.Profile.Height = Math.Max(1, frame.Height);
        var ansi = _console.ToAnsi(new RowsRenderable(frame.Rows));
        var lines = ansi.Split('\n');
        var result = new string[frame.Rows.Count];
        for (int i = 0; i < result.Length; i++) result[i] = i < lines.Length ? lines[i].TrimEnd('\r') : "";
        return result;
    }

    /// <summary>Already laid-out rows, handed to Spectre as they are, separated by line breaks.</summary>
    private sealed class RowsRenderable(IReadOnlyList<SegmentLine> rows) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => new(maxWidth, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            for (int i = 0; i < rows.Count; i++)
            {
                if (i > 0) yield return Segment.LineBreak;
                foreach (var segment in rows[i]) yield return segment;
            }
        }
    }
}
