// Tests that nick colours are stable and spread out.
using P2PChat.Peer.Tui.Text;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Text;

public sealed class NickColorTests
{
    [Fact]
    public void Same_nick_same_colour_regardless_of_case() =>
        Assert.Equal(NickColor.For("Alice"), NickColor.For("alice"));

    [Fact]
    public void Nicks_spread_over_the_palette()
    {
        var colours = new[] { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi" }.Select(NickColor.For).Distinct().Count();
        Assert.True(colours >= 5, $"only {colours} distinct colours for 8 nicks");
    }
}
