// Tests of the input line: prompt, cursor column and sideways scrolling of long text.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

public sealed class InputLineWidgetTests
{
    [Fact]
    public void Shows_the_prompt_and_puts_the_cursor_after_the_text()
    {
        var editor = new LineEditor();
        editor.SetText("hi 🎉");
        var (row, cursor) = InputLineWidget.Render(editor, "#rust", 30);
        Assert.Equal("[#rust] hi 🎉", row.PlainText().TrimEnd());
        Assert.Equal(8 + 5, cursor);
        Assert.Equal(30, row.CellCount());
    }

    [Fact]
    public void Long_text_scrolls_so_the_cursor_stays_visible()
    {
        var (text, cursorCells) = InputLineWidget.VisibleWindow(new string('x', 50) + "END", 53, 10);
        Assert.EndsWith("END", text);
        Assert.Equal(9, cursorCells);
        Assert.True(text.Length <= 10);
    }

    [Fact]
    public void Scrolling_past_a_wide_char_keeps_it_whole()
    {
        var (text, cursorCells) = InputLineWidget.VisibleWindow("日本語日本語", 6, 5);
        Assert.Equal("本語", text);
        Assert.Equal(4, cursorCells);
    }
}
