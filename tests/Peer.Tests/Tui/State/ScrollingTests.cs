// Tests of scrolling a buffer: pages, top and bottom, clamping, and staying put while messages arrive.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class ScrollingTests
{
    // 100 one-line messages, a viewport 20 lines high and wide enough for every message.
    private static ChatViewState StateWith100Lines()
    {
        var state = new ChatViewState(TuiTestTime.Clock()) { Viewport = (40, 20) };
        for (int i = 0; i < 100; i++) state.AddMessage("#general", "bob", $"line {i}");
        return state;
    }

    private static int Offset(ChatViewState s) => s.Summary("#general")!.ScrollOffset;

    [Fact]
    public void Page_up_and_down_move_by_a_page_minus_one_line()
    {
        var state = StateWith100Lines();
        state.ScrollPages(1);
        Assert.Equal(19, Offset(state));
        state.ScrollPages(1);
        Assert.Equal(38, Offset(state));
        state.ScrollPages(-1);
        Assert.Equal(19, Offset(state));
        state.ScrollPages(-5);
        Assert.Equal(0, Offset(state));
    }

    [Fact]
    public void Top_clamps_to_the_first_line_and_bottom_follows_the_tail()
    {
        var state = StateWith100Lines();
        state.ScrollToTop();
        Assert.Equal(80, Offset(state));
        state.ScrollPages(1);
        Assert.Equal(80, Offset(state));
        state.ScrollToBottom();
        Assert.Equal(0, Offset(state));
    }

    [Fact]
    public void A_short_buffer_does_not_scroll()
    {
        var state = new ChatViewState(TuiTestTime.Clock()) { Viewport = (40, 20) };
        state.AddMessage("#general", "bob", "only line");
        state.ScrollPages(1);
        Assert.Equal(0, Offset(state));
    }

    [Fact]
    public void Scrolled_view_stays_on_the_same_lines_while_messages_arrive()
    {
        var state = StateWith100Lines();
        state.ScrollPages(1);
        state.AddMessage("#general", "carol", "new one");
        state.AddMessage("#general", "carol", "new two");
        Assert.Equal(21, Offset(state));
    }

    [Fact]
    public void Following_the_tail_stays_at_the_bottom()
    {
        var state = StateWith100Lines();
        state.AddMessage("#general", "carol", "new");
        Assert.Equal(0, Offset(state));
    }

    [Fact]
    public void Scroll_positions_are_per_buffer()
    {
        var state = StateWith100Lines();
        state.ScrollPages(1);
        state.OpenBuffer("#rust", switchTo: true);
        Assert.Equal(0, state.Summary("#rust")!.ScrollOffset);
        state.SwitchTo("#general");
        Assert.Equal(19, Offset(state));
    }
}
