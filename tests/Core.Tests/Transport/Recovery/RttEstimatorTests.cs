// Tests of the RFC 6298 estimator and its backoff.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Recovery;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Recovery;

public sealed class RttEstimatorTests
{
    [Fact]
    public void Initial_rto_is_used_before_any_sample()
    {
        var rtt = new RttEstimator(200_000, 60_000_000, 1_000_000);
        Assert.False(rtt.HasSample);
        Assert.Equal(1_000_000, rtt.RtoMicros);
    }

    [Fact]
    public void First_and_later_samples_follow_rfc_6298()
    {
        var rtt = new RttEstimator(1_000, 60_000_000, 1_000_000);
        rtt.AddSample(100_000, 0);
        Assert.Equal(100_000, rtt.SmoothedMicros);
        Assert.Equal(50_000, rtt.VarianceMicros);
        Assert.Equal(100_000 + 4 * 50_000, rtt.RtoMicros);
        rtt.AddSample(200_000, 0);
        Assert.Equal((3 * 50_000 + 100_000) / 4, rtt.VarianceMicros);
        Assert.Equal((7 * 100_000 + 200_000) / 8, rtt.SmoothedMicros);
    }

    [Fact]
    public void Rto_is_clamped_and_doubles_per_backoff_up_to_the_maximum()
    {
        var rtt = new RttEstimator(200_000, 2_000_000, 1_000_000);
        rtt.AddSample(1_000, 0);
        Assert.Equal(200_000, rtt.RtoMicros);
        Assert.Equal(400_000, rtt.BackedOffRto(1));
        Assert.Equal(1_600_000, rtt.BackedOffRto(3));
        Assert.Equal(2_000_000, rtt.BackedOffRto(10));
    }

    [Fact]
    public void Ack_delay_is_subtracted_only_when_it_keeps_the_sample_above_the_minimum()
    {
        var rtt = new RttEstimator(1_000, 60_000_000, 1_000_000);
        rtt.AddSample(50_000, 0);
        rtt.AddSample(60_000, 5_000);
        Assert.Equal(55_000, rtt.LatestMicros);
        rtt.AddSample(52_000, 10_000);
        Assert.Equal(52_000, rtt.LatestMicros);
    }
}
