// Tests of the congestion controllers' reactions: growth, one reduction per loss event, RTO collapse, spurious undo.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Recovery;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Recovery;

public sealed class CongestionControllerTests
{
    private const int Mss = 1200;

    public static TheoryData<string> Controllers => new() { "cubic", "newreno" };

    private static ICongestionController Create(string name) =>
        name == "cubic" ? new CubicCongestionController(Mss) : new NewRenoCongestionController(Mss);

    [Theory]
    [MemberData(nameof(Controllers))]
    public void Slow_start_grows_by_the_acked_bytes(string name)
    {
        var cc = Create(name);
        long before = cc.WindowBytes;
        cc.OnAcked(5 * Mss, 10, 20, 10_000, windowLimited: true);
        Assert.Equal(before + 5 * Mss, cc.WindowBytes);
        cc.OnAcked(5 * Mss, 10, 20, 10_000, windowLimited: false);
        Assert.Equal(before + 5 * Mss, cc.WindowBytes);
    }

    [Theory]
    [MemberData(nameof(Controllers))]
    public void Losses_of_one_flight_reduce_the_window_once(string name)
    {
        var cc = Create(name);
        long before = cc.WindowBytes;
        cc.OnLost(Mss, timeSentMicros: 100, nowMicros: 1000);
        long reduced = cc.WindowBytes;
        Assert.True(reduced < before);
        cc.OnLost(Mss, timeSentMicros: 500, nowMicros: 1100);
        Assert.Equal(reduced, cc.WindowBytes);
        cc.OnLost(Mss, timeSentMicros: 1050, nowMicros: 1200);
        Assert.True(cc.WindowBytes < reduced);
        Assert.False(cc.InSlowStart);
    }

    [Theory]
    [MemberData(nameof(Controllers))]
    public void Rto_collapses_the_window_to_two_packets(string name)
    {
        var cc = Create(name);
        cc.OnRetransmissionTimeout(1000);
        Assert.Equal(2 * Mss, cc.WindowBytes);
    }

    [Theory]
    [MemberData(nameof(Controllers))]
    public void A_spurious_loss_undoes_the_reduction(string name)
    {
        var cc = Create(name);
        long before = cc.WindowBytes;
        cc.OnLost(Mss, 100, 1000);
        cc.OnSpuriousLoss();
        Assert.Equal(before, cc.WindowBytes);
    }

    [Fact]
    public void Cubic_regains_its_previous_maximum_faster_than_reno_over_time()
    {
        var cubic = new CubicCongestionController(Mss, initialWindowPackets: 100);
        var reno = new NewRenoCongestionController(Mss, initialWindowPackets: 100);
        cubic.OnLost(Mss, 0, 1);
        reno.OnLost(Mss, 0, 1);
        long now = 2;
        for (int rtt = 0; rtt < 200; rtt++, now += 100_000)
        {
            for (long acked = 0; acked < cubic.WindowBytes; acked += Mss) cubic.OnAcked(Mss, now, now, 100_000, true);
            for (long acked = 0; acked < reno.WindowBytes; acked += Mss) reno.OnAcked(Mss, now, now, 100_000, true);
        }
        Assert.True(cubic.WindowBytes > reno.WindowBytes);
        Assert.True(cubic.WindowBytes > 100 * Mss);
    }

    [Fact]
    public void Pacer_spreads_a_window_over_the_rtt()
    {
        var pacer = new Pacer(Mss, burstPackets: 2);
        pacer.SetRate(windowBytes: 100 * Mss, smoothedRttMicros: 100_000, slowStart: false);
        long now = 1_000_000;
        int sent = 0;
        while (pacer.CanSend(now)) { pacer.OnSent(Mss, now); sent++; }
        Assert.Equal(2, sent);
        long next = pacer.NextSendTime(now);
        Assert.True(next > now);
        Assert.True(pacer.CanSend(next));
    }
}
