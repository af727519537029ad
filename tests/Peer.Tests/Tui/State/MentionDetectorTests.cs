// Tests of mention detection: @nick or the nick as a whole word, any case.
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class MentionDetectorTests
{
    [Theory]
    [InlineData("hey @alice look")]
    [InlineData("alice: lunch?")]
    [InlineData("ask ALICE, she knows")]
    [InlineData("thanks alice!")]
    [InlineData("alice")]
    [InlineData("(alice)")]
    public void Mentions(string text) => Assert.True(MentionDetector.Mentions(text, "alice"));

    [Theory]
    [InlineData("malice everywhere")]
    [InlineData("alicex")]
    [InlineData("alice_2 said")]
    [InlineData("mr-alice")]
    [InlineData("nothing here")]
    [InlineData("")]
    public void Does_not_mention(string text) => Assert.False(MentionDetector.Mentions(text, "alice"));

    [Fact]
    public void A_later_whole_word_counts_after_a_partial_match() =>
        Assert.True(MentionDetector.Mentions("malice and alice", "alice"));

    [Fact]
    public void No_nick_means_no_mention() => Assert.False(MentionDetector.Mentions("alice", ""));
}
