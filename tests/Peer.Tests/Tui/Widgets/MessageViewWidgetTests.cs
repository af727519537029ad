// Tests of the message view: line layout, wrapping under the prefix, bottom alignment, scrolling, day breaks, styles.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

public sealed class MessageViewWidgetTests
{
    private const int Width = 40; // nick column 9, prefix 18, text 22

    private static (ChatViewState State, ChatBuffer Buffer) StateWith(params string[] texts)
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        state.SetMyNick("me");
        foreach (var t in texts) state.AddMessage("#general", "bob", t);
        return (state, state.Buffers.Current);
    }

    [Fact]
    public void A_line_has_time_right_aligned_nick_separator_and_text()
    {
        var (_, buffer) = StateWith("hello");
        var rows = MessageViewWidget.Render(buffer, Width, 3, TimeZoneInfo.Utc);
        Assert.Equal("12:00       bob │ hello".PadRight(Width), rows[2].PlainText());
        Assert.All(rows, r => Assert.Equal(Width, r.CellCount()));
    }

    [Fact]
    public void Long_text_wraps_under_the_prefix_and_the_view_is_bottom_aligned()
    {
        var (_, buffer) = StateWith("the quick brown fox jumps over the lazy dog");
        var rows = MessageViewWidget.Render(buffer, Width, 4, TimeZoneInfo.Utc).Select(r => r.PlainText()).ToList();
        Assert.Equal("", rows[0].Trim());
        Assert.EndsWith("│ the quick brown fox", rows[1].TrimEnd());
        Assert.Equal(new string(' ', 16) + "│ jumps over the lazy", rows[2].TrimEnd());
        Assert.Equal(new string(' ', 16) + "│ dog", rows[3].TrimEnd());
    }

    [Fact]
    public void Wide_text_keeps_every_row_exactly_the_view_width()
    {
        var (_, buffer) = StateWith("日本語のテキストも大丈夫ですか？ 🎉🚀 👍🏽 done and more text");
        var rows = MessageViewWidget.Render(buffer, Width, 6, TimeZoneInfo.Utc);
        Assert.All(rows, r => Assert.Equal(Width, r.CellCount()));
    }

    [Fact]
    public void Scroll_offset_shows_older_lines()
    {
        var (state, buffer) = StateWith([.. Enumerable.Range(0, 30).Select(i => $"m{i}")]);
        state.Viewport = (MessageViewWidget.TextWidth(Width), 5);
        state.ScrollPages(1);
        var rows = MessageViewWidget.Render(buffer, Width, 5, TimeZoneInfo.Utc).Select(r => r.PlainText()).ToList();
        Assert.EndsWith("│ m21", rows[0].TrimEnd());
        Assert.EndsWith("│ m25", rows[4].TrimEnd());
    }

    [Fact]
    public void Scrolled_to_the_top_shows_the_first_lines()
    {
        var (state, buffer) = StateWith([.. Enumerable.Range(0, 30).Select(i => $"m{i}")]);
        state.Viewport = (MessageViewWidget.TextWidth(Width), 5);
        state.ScrollToTop();
        var rows = MessageViewWidget.Render(buffer, Width, 5, TimeZoneInfo.Utc).Select(r => r.PlainText()).ToList();
        Assert.EndsWith("│ m0", rows[0].TrimEnd());
    }

    [Fact]
    public void A_new_day_gets_a_separator_line()
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        state.AddMessage("#general", "bob", "late", time: TuiTestTime.Noon.AddDays(-1));
        state.AddMessage("#general", "bob", "early");
        var rows = MessageViewWidget.Render(state.Buffers.Current, Width, 3, TimeZoneInfo.Utc).Select(r => r.PlainText()).ToList();
        Assert.StartsWith("── Saturday 21 November 2026 ──", rows[1]);
        Assert.EndsWith("│ early", rows[2].TrimEnd());
    }

    [Fact]
    public void A_highlight_is_styled_and_nicks_get_their_colour()
    {
        var (_, buffer) = StateWith("hey @me", "plain");
        var rows = MessageViewWidget.Render(buffer, Width, 2, TimeZoneInfo.Utc);
        Assert.Contains(rows[0], s => s.Text == "bob" && s.Style.Background == Theme.HighlightBackground);
        Assert.Contains(rows[1], s => s.Text == "bob" && s.Style.Foreground == P2PChat.Peer.Tui.Text.NickColor.For("bob"));
    }

    [Fact]
    public void Rendering_the_bottom_of_ten_thousand_messages_touches_only_what_is_visible()
    {
        var (state, buffer) = StateWith();
        for (int i = 0; i < 10_000; i++) state.AddMessage("#general", "bob", $"m{i}");
        var rows = MessageViewWidget.Render(buffer, Width, 3, TimeZoneInfo.Utc).Select(r => r.PlainText()).ToList();
        Assert.EndsWith("│ m9999", rows[2].TrimEnd());
        Assert.Equal(10_000, state.Messages("#general").Count);
    }
}
