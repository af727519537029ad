// Tests of the bounded scrollback ring: retention, eviction order and prepending history.
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class MessageLogTests
{
    private static LogEntry Entry(int n) => new(new ChatMessage(DateTimeOffset.UnixEpoch, "x", n.ToString(), MessageKind.Normal), false);

    [Fact]
    public void Keeps_ten_thousand_lines_and_drops_the_oldest_beyond_capacity()
    {
        var log = new MessageLog(10_000);
        for (int i = 0; i < 12_345; i++) log.Append(Entry(i));
        Assert.Equal(10_000, log.Count);
        Assert.Equal("2345", log[0].Message.Text);
        Assert.Equal("12344", log[9_999].Message.Text);
        Assert.Equal(12_345, log.TotalAppended);
    }

    [Fact]
    public void Prepend_puts_history_before_and_keeps_the_newest_when_full()
    {
        var log = new MessageLog(5);
        log.Append(Entry(10));
        log.Append(Entry(11));
        log.Prepend([Entry(6), Entry(7), Entry(8), Entry(9)]);
        Assert.Equal(5, log.Count);
        Assert.Equal(["7", "8", "9", "10", "11"], Enumerable.Range(0, 5).Select(i => log[i].Message.Text));
        log.Append(Entry(12));
        Assert.Equal("8", log[0].Message.Text);
        Assert.Equal("12", log.Newest!.Message.Text);
    }
}
