// Tests of input history: walking older and newer, keeping the draft, skipping duplicates.
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class InputHistoryTests
{
    [Fact]
    public void Up_walks_back_and_down_returns_to_the_draft()
    {
        var history = new InputHistory();
        history.Add("one");
        history.Add("two");
        Assert.Equal("two", history.Older("draft"));
        Assert.Equal("one", history.Older("two"));
        Assert.Null(history.Older("one"));
        Assert.Equal("two", history.Newer());
        Assert.Equal("draft", history.Newer());
        Assert.Null(history.Newer());
    }

    [Fact]
    public void Blank_lines_and_repeats_are_not_stored_and_capacity_is_kept()
    {
        var history = new InputHistory(capacity: 2);
        history.Add("a");
        history.Add("a");
        history.Add("  ");
        Assert.Equal(1, history.Count);
        history.Add("b");
        history.Add("c");
        Assert.Equal(2, history.Count);
        Assert.Equal("c", history.Older(""));
        Assert.Equal("b", history.Older(""));
        Assert.Null(history.Older(""));
    }
}
