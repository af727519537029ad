// Tests that the demo fills every kind of buffer and composes a full screen from it.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Demo;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Demo;

[Collection(TerminalGuiCollection.Name)]
public sealed class DemoDataTests
{
    [Fact]
    public void Fills_channels_and_private_buffers_with_history_that_renders()
    {
        var state = new ChatViewState(TuiTestTime.Clock());
        DemoData.Fill(state, TuiTestTime.Noon, historyPerBuffer: 50);

        Assert.Equal(["#general", "#rust", "#random", "@bob", "@carol"], state.BufferIdsInOrder());
        Assert.All(state.BufferIdsInOrder(), id => Assert.True(state.Messages(id).Count >= 50));
        Assert.Equal(PeerRoute.Direct, state.Summary("@bob")!.Route);
        Assert.All(state.BufferIdsInOrder(), id => Assert.Equal(0, state.Summary(id)!.Unread));

        using var screen = new HeadlessScreen(state, 120, 40);
        Assert.Contains("This is the TUI demo", screen.Text());
    }
}
