// Tests of terminal cell widths: ASCII, wide CJK, emoji, combining marks and truncation by element.
using P2PChat.Peer.Tui.Text;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Text;

public sealed class CellTextTests
{
    [Theory]
    [InlineData("hello", 5)]
    [InlineData("日本", 4)]
    [InlineData("🎉", 2)]
    [InlineData("e\u0301", 1)]
    [InlineData("👨\u200D👩\u200D👧", 2)]
    [InlineData("👍🏽", 2)]
    [InlineData("a🎉b", 4)]
    [InlineData("", 0)]
    public void Width_counts_cells_as_terminal_gui_lays_them_out(string text, int expected) =>
        Assert.Equal(expected, CellText.Width(text));

    [Fact]
    public void Truncate_never_splits_a_wide_char_or_surrogate_pair()
    {
        var (text, width) = CellText.Truncate("ab🎉cd", 3);
        Assert.Equal("ab", text);
        Assert.Equal(2, width);

        (text, width) = CellText.Truncate("ab🎉cd", 4);
        Assert.Equal("ab🎉", text);
        Assert.Equal(4, width);
    }

    [Fact]
    public void Truncate_keeps_short_text_whole()
    {
        Assert.Equal(("abc", 3), CellText.Truncate("abc", 10));
        Assert.Equal(("", 0), CellText.Truncate("abc", 0));
    }
}
