// Tests of the buffer list: numbers, counts, current buffer, scrolling a long list.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

public sealed class BufferListWidgetTests
{
    [Fact]
    public void Rows_show_alt_numbers_names_unread_and_highlight_counts()
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        state.SetMyNick("me");
        state.AddMessage("#rust", "bob", "one");
        state.AddMessage("#rust", "bob", "two @me");
        state.AddMessage("@carol", "carol", "hi");
        var rows = BufferListWidget.Render(state.Buffers, 20, 4).Select(r => r.PlainText()).ToList();
        Assert.Equal(" 1 #general".PadRight(20), rows[0]);
        Assert.Equal(" 2 #rust".PadRight(15) + " 2 1!", rows[1]);
        Assert.Equal(" 3 @carol".PadRight(18) + " 1", rows[2]);
        Assert.Equal(new string(' ', 20), rows[3]);
    }

    [Fact]
    public void The_current_buffer_is_inverted()
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        state.OpenBuffer("#rust", switchTo: true);
        var rows = BufferListWidget.Render(state.Buffers, 20, 2);
        Assert.All(rows[1], s => Assert.Equal(Theme.BufferCurrent, s.Style));
        Assert.DoesNotContain(rows[0], s => s.Style == Theme.BufferCurrent);
    }

    [Fact]
    public void A_long_list_scrolls_to_keep_the_current_buffer_visible()
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        for (int i = 0; i < 12; i++) state.OpenBuffer($"#c{i:00}");
        state.SwitchTo("#c11");
        var rows = BufferListWidget.Render(state.Buffers, 16, 5).Select(r => r.PlainText()).ToList();
        Assert.Contains("#c11", rows[4]);
        Assert.StartsWith("   #c11", rows[4]); // beyond the tenth buffer there is no Alt-number
    }
}
