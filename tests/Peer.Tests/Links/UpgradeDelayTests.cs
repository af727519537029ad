// How often a relayed link asks for a fresh introduction: soon at first (candidates may just not be published yet), then every 30 s.
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class UpgradeDelayTests
{
    [Fact]
    public void The_wait_before_a_fresh_introduction_starts_at_five_seconds_and_doubles_to_the_thirty_second_interval()
    {
        var delays = Enumerable.Range(0, 6).Select(t => PeerLinks.UpgradeDelay(t).TotalSeconds).ToArray();

        Assert.Equal([5, 10, 20, 30, 30, 30], delays);
        Assert.Equal(PeerLinks.UpgradeInterval, PeerLinks.UpgradeDelay(int.MaxValue));
    }
}
