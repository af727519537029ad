// The one naming rule for conversations: channel messages by channel, room messages by room, private ones by the other party.
using P2PChat.Peer.History;
using Xunit;

namespace P2PChat.Peer.Tests.History;

public sealed class HistoryBuffersTests
{
    [Theory]
    [InlineData("alice", "#rust", "carol", "#rust")]
    [InlineData("alice", "&lounge", "carol", "&lounge")]
    [InlineData("alice", "carol", "carol", "@alice")]
    [InlineData("carol", "alice", "carol", "@alice")]
    [InlineData("Carol", "alice", "carol", "@alice")]
    [InlineData("alice", "carol", "", "@alice")] // before sign-in names me: offline messages are to me
    public void A_message_belongs_to_its_channel_or_to_the_other_party(string from, string to, string me, string buffer) =>
        Assert.Equal(buffer, HistoryBuffers.ForMessage(from, to, me));

    [Theory]
    [InlineData("#rust", "#rust", "#rust")]
    [InlineData("bob", "@bob", "bob")]
    [InlineData("&lounge", "&lounge", "&lounge")]
    public void Targets_and_buffers_map_both_ways(string target, string buffer, string back)
    {
        Assert.Equal(buffer, HistoryBuffers.ForTarget(target));
        Assert.Equal(back, HistoryBuffers.TargetOf(buffer));
    }

    [Theory]
    [InlineData("&")]
    [InlineData("@")]
    [InlineData("#")]
    public void Buffers_without_a_target_have_none(string buffer) => Assert.Null(HistoryBuffers.TargetOf(buffer));
}
