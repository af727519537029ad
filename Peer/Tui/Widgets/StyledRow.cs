// One screen row of a region: runs of text, each with its Terminal.Gui attribute.
using System.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

internal readonly record struct StyledRun(string Text, Attribute Style);

/// <summary>A row built by <see cref="RowBuilder"/> is exactly as wide as asked (in terminal cells).</summary>
internal sealed class StyledRow : List<StyledRun>
{
    /// <summary>True when both rows have the same runs (text and style): drawing one over the other changes nothing.</summary>
    public bool SameAs(StyledRow other)
    {
        if (Count != other.Count) return false;
        for (int i = 0; i < Count; i++)
            if (this[i] != other[i]) return false;
        return true;
    }

    /// <summary>The row's text without styles (for tests).</summary>
    public string PlainText()
    {
        var sb = new StringBuilder();
        foreach (var run in this) sb.Append(run.Text);
        return sb.ToString();
    }
}
