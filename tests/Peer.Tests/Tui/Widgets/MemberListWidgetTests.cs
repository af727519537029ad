// Tests of the member list: count header, ordering by presence then name, presence marks.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

public sealed class MemberListWidgetTests
{
    [Fact]
    public void Lists_online_then_away_then_offline_by_name()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMembers("#general", [new("zoe", Presence.Online), new("bob", Presence.Offline), new("amy", Presence.Away), new("Al", Presence.Online)]);
        var rows = MemberListWidget.Render(state.Buffers.Current, 12, 6).Select(r => r.PlainText().TrimEnd()).ToList();
        Assert.Equal(["3/4 online", "+Al", "+zoe", "~amy", " bob", ""], rows);
    }
}
