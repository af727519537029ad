// The TUI front end's local echo: what I sent shows in its conversation as my own line.
using P2PChat.Peer.Tui.Binding;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class TuiFrontEndTests
{
    [Fact]
    public void What_I_sent_is_echoed_as_my_own_line_in_its_conversation()
    {
        var state = new ChatViewState();
        state.SetMyNick("carol");
        TuiFrontEnd.EchoOwn(state, "", "bob", "hi bob");
        TuiFrontEnd.EchoOwn(state, "carol", "#rust", "hi all");

        var bob = Assert.Single(state.Messages("@bob"));
        Assert.Equal(("carol", "hi bob", MessageKind.Own), (bob.Sender, bob.Text, bob.Kind));
        Assert.Equal(PeerRoute.Server, state.Summary("@bob")!.Route);
        Assert.Equal(0, state.Summary("@bob")!.Unread);
        Assert.Equal("hi all", Assert.Single(state.Messages("#rust")).Text);
    }
}
