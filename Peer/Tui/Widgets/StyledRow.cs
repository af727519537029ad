// One screen row of a region: runs of text, each with its Terminal.Gui attribute.
using System.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

internal readonly record struct StyledRun(string Text, Attribute Style);

/// <summary>A row built by <see cref="RowBuilder"/> is exactly as wide as asked (in terminal cells).</summary>
internal sealed class StyledRow : List<StyledRun>
{
    /// <summary>The row's text without styles (for tests).</summary>
    public string PlainText()
    {
        var sb = new StringBuilder();
        foreach (var run in this) sb.Append(run.Text);
        return sb.ToString();
    }
}
