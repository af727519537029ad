// Tests of the member list: count header, ordering by presence then name, presence marks.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

[Collection(TerminalGuiCollection.Name)]
public sealed class MemberListWidgetTests
{
    [Fact]
    public void Lists_online_then_away_then_offline_by_name()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMembers("#general", [new("zoe", MemberPresence.Online), new("bob", MemberPresence.Offline), new("amy", MemberPresence.Away), new("Al", MemberPresence.Online)]);
        var rows = MemberListWidget.Render(state.Buffers.Current, 12, 6).Select(r => r.PlainText().TrimEnd()).ToList();
        Assert.Equal(["3/4 online", "+Al", "+zoe", "~amy", " bob", ""], rows);
    }

    private static List<string> Rows(ChatViewState state, int height) =>
        MemberListWidget.Render(state.Buffers.Current, 12, height).Select(r => r.PlainText().TrimEnd()).ToList();

    [Fact]
    public void A_long_list_shows_a_more_hint_then_scrolls_with_an_above_hint()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMembers("#general", Enumerable.Range(1, 9).Select(i => new Member($"u{i}", i % 3 == 0 ? MemberPresence.Away : MemberPresence.Online)));
        state.MemberRows = 5;

        Assert.Equal(["9/9 online", "+u1", "+u2", "+u4", "+u5", "+5 more"], Rows(state, 6));
        state.ScrollMembers(1);
        Assert.Equal(["9/9 online", "+3 above", "+u5", "+u7", "+u8", "+3 more"], Rows(state, 6));
        state.ScrollMembers(1);
        Assert.Equal(["9/9 online", "+5 above", "+u8", "~u3", "~u6", "~u9"], Rows(state, 6));
    }

    [Fact]
    public void Compose_records_the_member_rows_so_keys_scroll_by_what_is_on_screen()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMembers("#general", Enumerable.Range(0, 100).Select(i => new Member($"m{i:000}", MemberPresence.Online)));
        var lines = HeadlessScreen.LinesOf(state, 100, 30);

        Assert.Contains(lines, l => l.TrimEnd().EndsWith("+75 more", StringComparison.Ordinal));
        Assert.Equal(26, state.MemberRows);
    }
}
