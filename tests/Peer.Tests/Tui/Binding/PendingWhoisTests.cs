// Tests of the pending /whois set: which lines count, case-insensitive names, take-once, clear.
using P2PChat.Peer.Tui.Binding;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class PendingWhoisTests
{
    [Theory]
    [InlineData("/whois bob", "bob")]
    [InlineData("  /WHOIS   @Bob ", "BOB")]
    public void A_whois_line_is_remembered_once(string line, string answer)
    {
        var pending = new PendingWhois();
        Assert.True(pending.Observe(line));
        Assert.True(pending.TryTake(answer));
        Assert.False(pending.TryTake(answer));
    }

    [Theory]
    [InlineData("/who #general")]
    [InlineData("/whois")]
    [InlineData("/whois @")]
    [InlineData("/whois bob extra")]
    [InlineData("whois bob")]
    public void Other_lines_are_ignored(string line)
    {
        var pending = new PendingWhois();
        Assert.False(pending.Observe(line));
        Assert.False(pending.TryTake("bob"));
    }

    [Fact]
    public void Clear_forgets_everything()
    {
        var pending = new PendingWhois();
        pending.Observe("/whois bob");
        pending.Clear();
        Assert.False(pending.TryTake("bob"));
    }
}
