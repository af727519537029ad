// Tests of the status bar: connection, user and server, route of a PM, scroll marker, buzz flash.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Widgets;

public sealed class StatusBarWidgetTests
{
    [Fact]
    public void Shows_connection_me_server_buffer_route_and_more()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetConnection(ServerConnectionStatus.Connected, "alice", "chat.example:7777");
        state.SetRoute("bob", PeerRoute.Relay);
        state.SwitchTo("@bob");
        var row = StatusBarWidget.Render(state.Status, state.Buffers.Current, 1, 12, ManualTimeProvider.Noon, 100);
        var text = row.PlainText();
        Assert.Equal("[12:00] [connected] alice@chat.example:7777 │ 2:@bob │ via relay │ -MORE(12)-", text.TrimEnd());
        Assert.Equal(100, row.CellCount());
    }

    [Fact]
    public void A_buzz_turns_the_bar_red_until_the_flash_ends()
    {
        var time = new ManualTimeProvider();
        var state = new ChatViewState(time);
        state.Buzz("bob");
        var row = StatusBarWidget.Render(state.Status, state.Buffers.Current, 0, 0, time.GetUtcNow(), 80);
        Assert.StartsWith(" BUZZ from bob", row.PlainText());
        Assert.All(row, s => Assert.Equal(Theme.Flash, s.Style));
        time.Advance(TimeSpan.FromSeconds(2));
        row = StatusBarWidget.Render(state.Status, state.Buffers.Current, 0, 0, time.GetUtcNow(), 80);
        Assert.DoesNotContain(row, s => s.Style == Theme.Flash);
    }
}
