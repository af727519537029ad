// The DPLPMTUD state machine alone: candidate order, MAX_PROBES, binary search, raise timer, black-hole fallback.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Recovery;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Recovery;

public sealed class PathMtuDiscoveryTests
{
    private const long RaiseMicros = 600_000_000;

    /// <summary>Plays a path that carries datagrams up to <paramref name="pathLimit"/>; returns the probe sizes sent.</summary>
    private static List<int> Search(PathMtuDiscovery pmtu, int pathLimit, long now = 0)
    {
        var sizes = new List<int>();
        for (int size; (size = pmtu.ProbeSizeDue(now)) != 0; now++)
        {
            sizes.Add(size);
            pmtu.OnProbeSent(size);
            if (size <= pathLimit) pmtu.OnProbeAcked(size, now);
            else pmtu.OnProbeLost(size, now);
        }
        return sizes;
    }

    [Fact]
    public void A_path_that_carries_the_maximum_is_confirmed_with_one_probe()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        Assert.Equal(PathMtuState.Searching, pmtu.State);
        Assert.Equal(1200, pmtu.CurrentSize);

        Assert.Equal([1472], Search(pmtu, pathLimit: 1500));
        Assert.Equal(1472, pmtu.CurrentSize);
        Assert.Equal(PathMtuState.SearchComplete, pmtu.State);
        Assert.Equal(long.MaxValue, pmtu.NextSearchMicros); // nothing larger to try
    }

    [Fact]
    public void A_smaller_path_is_found_by_binary_search_after_three_losses_of_a_size()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        var sizes = Search(pmtu, pathLimit: 1400);

        Assert.Equal([1472, 1472, 1472], sizes.Take(3));
        Assert.All(sizes.Skip(3).GroupBy(s => s), g => Assert.True(g.Key <= 1400 ? g.Count() == 1 : g.Count() == PathMtuDiscovery.MaxProbes));
        Assert.InRange(pmtu.CurrentSize, 1400 - PathMtuDiscovery.Granularity, 1400);
        Assert.Equal(PathMtuState.SearchComplete, pmtu.State);
        Assert.True(sizes.Count < 30, $"{sizes.Count} probes");
    }

    [Fact]
    public void A_path_carrying_only_the_base_size_ends_the_search_at_the_base()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        Search(pmtu, pathLimit: 1200);
        Assert.Equal(1200, pmtu.CurrentSize);
        Assert.Equal(PathMtuState.SearchComplete, pmtu.State);
    }

    [Fact]
    public void One_lost_probe_is_retried_at_the_same_size()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        pmtu.OnProbeSent(pmtu.ProbeSizeDue(0));
        Assert.Equal(0, pmtu.ProbeSizeDue(0)); // one probe in flight at a time
        pmtu.OnProbeLost(1472, 10);
        Assert.Equal(1472, pmtu.ProbeSizeDue(10));
        pmtu.OnProbeSent(1472);
        pmtu.OnProbeAcked(1472, 20);
        Assert.Equal(1472, pmtu.CurrentSize);
        Assert.Equal(1, pmtu.ProbesLost);
    }

    [Fact]
    public void The_raise_timer_searches_again_for_larger_packets()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        Search(pmtu, pathLimit: 1300);
        int found = pmtu.CurrentSize;
        long due = pmtu.NextSearchMicros;
        Assert.NotEqual(long.MaxValue, due);
        Assert.Equal(0, pmtu.ProbeSizeDue(due - 1));

        Assert.Equal(1472, pmtu.ProbeSizeDue(due)); // the path grew meanwhile: the maximum is tried first again
        Search(pmtu, pathLimit: 1500, due);
        Assert.True(pmtu.CurrentSize > found);
        Assert.Equal(1472, pmtu.CurrentSize);
    }

    [Fact]
    public void An_rto_after_large_packets_vanished_falls_back_to_the_base_and_searches_again()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        Search(pmtu, pathLimit: 1500);
        for (int i = 0; i < PathMtuDiscovery.BlackHoleLosses; i++) pmtu.OnPacketLost(1472);
        pmtu.OnRetransmissionTimeout();

        Assert.Equal(1200, pmtu.CurrentSize);
        Assert.Equal(PathMtuState.BlackHole, pmtu.State);
        Assert.Equal(1, pmtu.BlackHoles);
        Search(pmtu, pathLimit: 1350); // the path really shrank: found again from the base
        Assert.InRange(pmtu.CurrentSize, 1350 - PathMtuDiscovery.Granularity, 1350);
    }

    [Fact]
    public void Losses_of_large_packets_between_acks_of_large_packets_are_no_black_hole()
    {
        var pmtu = new PathMtuDiscovery(1200, 1472, RaiseMicros);
        Search(pmtu, pathLimit: 1500);
        for (int i = 0; i < 100; i++)
        {
            pmtu.OnPacketLost(1472);
            pmtu.OnPacketLost(1472);
            pmtu.OnPacketAcked(1472);
        }
        pmtu.OnPacketLost(1200); // small packets never count
        pmtu.OnPacketLost(1200);
        pmtu.OnPacketLost(1200);
        pmtu.OnRetransmissionTimeout();
        Assert.Equal(1472, pmtu.CurrentSize);
        Assert.Equal(0, pmtu.BlackHoles);
    }

    [Fact]
    public void A_maximum_at_or_below_the_base_disables_the_search()
    {
        var pmtu = new PathMtuDiscovery(1472, 1472, RaiseMicros);
        Assert.Equal(PathMtuState.Disabled, pmtu.State);
        Assert.Equal(0, pmtu.ProbeSizeDue(0));
    }
}
