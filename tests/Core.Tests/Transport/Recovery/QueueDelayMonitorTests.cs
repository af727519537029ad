// The delay signal: a round's least RTT well above the path's base RTT is a standing queue; jitter and a slower path are not.
using P2PChat.Core.Transport.Recovery;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Recovery;

public sealed class QueueDelayMonitorTests
{
    private const long Ms = 1000;

    /// <summary>A monitor whose first round starts at time 0, so that the rounds <see cref="Feed"/> makes line up with its own.</summary>
    private static QueueDelayMonitor Started(long rtt)
    {
        var monitor = new QueueDelayMonitor();
        monitor.OnSample(rtt, rtt, 0);
        return monitor;
    }

    /// <summary>A monitor that has seen 5 steady rounds of <paramref name="rtt"/> (its base), and the time after them.</summary>
    private static QueueDelayMonitor Settled(long rtt, out long now)
    {
        var monitor = Started(rtt);
        now = 0;
        Feed(monitor, ref now, 5, rtt);
        return monitor;
    }

    /// <summary>Feeds <paramref name="rounds"/> rounds of 10 samples each, one every rtt/10, all of <paramref name="rtt"/> but
    /// one sample per round raised by <paramref name="spike"/>; returns how many rounds signalled.</summary>
    private static int Feed(QueueDelayMonitor monitor, ref long now, int rounds, long rtt, long spike = 0)
    {
        int signals = 0;
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < 10; i++)
            {
                now += Math.Max(rtt, QueueDelayMonitor.MinRound) / 10 + 1;
                if (monitor.OnSample(rtt + (i == 3 ? spike : 0), rtt, now)) signals++;
            }
        return signals;
    }

    [Fact]
    public void A_steady_path_with_one_off_delays_never_signals()
    {
        var monitor = Started(2 * Ms);
        long now = 0;
        Assert.Equal(0, Feed(monitor, ref now, 50, 2 * Ms, spike: 40 * Ms));
        Assert.Equal(2 * Ms, monitor.BaseRtt);
        Assert.Equal(QueueDelayMonitor.MinThreshold, monitor.Threshold);
    }

    [Fact]
    public void A_standing_queue_signals_once_per_round()
    {
        var monitor = Settled(2 * Ms, out var now);
        Assert.Equal(0, Feed(monitor, ref now, 3, 2 * Ms + QueueDelayMonitor.MinThreshold));   // at the threshold: not yet
        Assert.Equal(1, Feed(monitor, ref now, 1, 30 * Ms));
        Assert.Equal(0, Feed(monitor, ref now, 1, 2 * Ms));   // drained
        Assert.Equal(2, Feed(monitor, ref now, 2, 30 * Ms));
    }

    [Fact]
    public void The_threshold_grows_with_the_base_rtt()
    {
        var monitor = Settled(100 * Ms, out var now);
        Assert.Equal(25 * Ms, monitor.Threshold);
        Assert.Equal(0, Feed(monitor, ref now, 2, 120 * Ms));
        Assert.Equal(1, Feed(monitor, ref now, 1, 130 * Ms));
    }

    [Fact]
    public void Rounds_with_too_few_samples_say_nothing()
    {
        var monitor = Settled(2 * Ms, out var now);
        for (int i = 0; i < 20; i++)
        {
            now += 5 * Ms;   // one sample per round: a chat, not a transfer
            Assert.False(monitor.OnSample(50 * Ms, 2 * Ms, now));
        }
    }

    [Fact]
    public void A_path_that_became_slower_is_learnt_after_a_few_signals_not_fought_for_ever()
    {
        var monitor = Settled(2 * Ms, out var now);
        Assert.Equal(QueueDelayMonitor.MaxConsecutiveSignals, Feed(monitor, ref now, 20, 80 * Ms));   // direct -> relay
        Assert.Equal(80 * Ms, monitor.BaseRtt);
    }

    [Fact]
    public void The_base_rtt_forgets_a_faster_path_after_two_windows()
    {
        var monitor = Settled(2 * Ms, out var now);
        now += 2 * QueueDelayMonitor.BaseWindow;
        Feed(monitor, ref now, 5, 5 * Ms);   // slower, but under the threshold: no signal to reset the base
        now += QueueDelayMonitor.BaseWindow;
        Feed(monitor, ref now, 5, 5 * Ms);
        Assert.Equal(5 * Ms, monitor.BaseRtt);
    }

    [Theory]
    [MemberData(nameof(CongestionControllerTests.Controllers), MemberType = typeof(CongestionControllerTests))]
    public void A_queue_ends_slow_start_without_a_cut_then_reduces_once_per_rtt(string name)
    {
        ICongestionController cc = name == "cubic" ? new CubicCongestionController(1200) : new NewRenoCongestionController(1200);
        cc.OnAcked(50 * 1200, 10, 20, 10 * Ms, windowLimited: true);
        long grown = cc.WindowBytes;
        cc.OnQueueDelay(1_000 * Ms, 10 * Ms);
        Assert.False(cc.InSlowStart);
        Assert.Equal(grown, cc.WindowBytes);
        cc.OnQueueDelay(1_001 * Ms, 10 * Ms);
        long reduced = cc.WindowBytes;
        Assert.True(reduced < grown);
        cc.OnQueueDelay(1_005 * Ms, 10 * Ms);   // within one RTT of the last reduction
        Assert.Equal(reduced, cc.WindowBytes);
        cc.OnSpuriousLoss();                    // a queue signal is not a loss to undo
        Assert.Equal(reduced, cc.WindowBytes);
        cc.OnQueueDelay(1_020 * Ms, 10 * Ms);
        Assert.True(cc.WindowBytes < reduced);
    }
}
