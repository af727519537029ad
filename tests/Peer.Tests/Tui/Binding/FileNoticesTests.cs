// File events in the TUI: an offer says how to answer it, progress shows a bar once per tenth, failures are errors.
using P2PChat.Peer.Files;
using P2PChat.Peer.Tui.Binding;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class FileNoticesTests
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void An_offer_names_the_sender_the_size_and_the_commands_that_answer_it_in_the_senders_buffer()
    {
        var (text, buffer, error) = new FileNotices().Describe(new FileOfferEvent(Id, "alice", "photo.jpg", 3_500_000, 1, 0));
        Assert.Equal("alice offers the file photo.jpg, 3.5 MB: /accept 01234567 [FOLDER] or /reject 01234567", text);
        Assert.Equal("@alice", buffer);
        Assert.False(error);
    }

    [Fact]
    public void Progress_shows_a_bar_only_when_another_tenth_is_done()
    {
        var notices = new FileNotices();
        notices.Describe(new FileOfferEvent(Id, "alice", "x", 1000, 1, 0));
        Assert.NotNull(notices.Describe(new FileProgressEvent(Id, "receive", 0, 1000, 0, null)).Text);
        Assert.Null(notices.Describe(new FileProgressEvent(Id, "receive", 50, 1000, 10, 95)).Text);
        var (text, buffer, _) = notices.Describe(new FileProgressEvent(Id, "receive", 420, 1000, 100, 6));
        Assert.Equal("01234567 [####......] 40% 420 B/1.0 kB at 100 B/s, 6 s left", text);
        Assert.Equal("@alice", buffer);
        Assert.True(notices.Describe(new FileFailedEvent(Id, "receive", "the disk is full", true)).Error);
    }
}
