// The failure detector: silence past the timeout on the injected clock; the timeout follows the gaps the host showed.
using P2PChat.Core.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class HostWatchTests
{
    [Fact]
    public void A_regular_host_is_suspected_after_the_floor_of_silence()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(HostWatch.PingInterval);
            watch.Heard();
        }
        Assert.Equal(HostWatch.DefaultTimeout, watch.Timeout);   // 4 gaps of 250 ms = 1 s, under the 1.5 s floor
        clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(watch.HostSuspected);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(watch.HostSuspected);
        watch.Heard();
        Assert.False(watch.HostSuspected);
    }

    [Fact]
    public void A_host_heard_late_under_load_is_given_longer_up_to_the_ceiling()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        watch.Heard();
        clock.Advance(TimeSpan.FromSeconds(0.6));   // one ping came 600 ms after the last
        watch.Heard();
        Assert.Equal(TimeSpan.FromSeconds(2.4), watch.Timeout);
        clock.Advance(TimeSpan.FromSeconds(2.3));
        Assert.False(watch.HostSuspected);
        watch.Heard();   // a 2.3 s gap: 9.2 s, capped
        Assert.Equal(HostWatch.Ceiling, watch.Timeout);
        clock.Advance(HostWatch.Ceiling);
        Assert.True(watch.HostSuspected);
    }

    [Fact]
    public void A_long_gap_is_forgotten_after_a_window_of_regular_frames()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        watch.Heard();
        clock.Advance(TimeSpan.FromSeconds(0.5));
        watch.Heard();
        Assert.Equal(TimeSpan.FromSeconds(2), watch.Timeout);
        for (var i = 0; i < HostWatch.GapWindow; i++)
        {
            clock.Advance(HostWatch.PingInterval);
            watch.Heard();
        }
        Assert.Equal(HostWatch.DefaultTimeout, watch.Timeout);
    }

    [Fact]
    public void The_wait_for_a_new_connection_is_not_taken_for_a_gap_of_the_host()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        clock.Advance(TimeSpan.FromSeconds(5));   // making the link took 5 s
        watch.Restart();
        Assert.False(watch.HostSuspected);
        watch.Heard();
        clock.Advance(HostWatch.PingInterval);
        watch.Heard();
        Assert.Equal(HostWatch.DefaultTimeout, watch.Timeout);
    }

    [Fact]
    public void A_floor_above_the_ceiling_wins_so_tests_that_jump_the_clock_see_no_silence()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(1));
        watch.Heard();
        Assert.Equal(TimeSpan.FromHours(1), watch.Timeout);
        Assert.False(watch.HostSuspected);
    }

    [Fact]
    public void Reconnecting_to_the_same_host_keeps_its_silence_counting_and_does_not_measure_the_wait_as_a_gap()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        watch.Heard();
        clock.Advance(TimeSpan.FromSeconds(1));   // the stream ended; reconnecting took 1 s
        watch.Reconnected();
        Assert.Equal(TimeSpan.FromSeconds(1), watch.Silence);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.True(watch.HostSuspected);   // reconnecting again and again never buys a dead host a fresh timeout
        watch.Heard();   // the host answered: heard, and the 1.5 s wait is not a gap of its rhythm
        Assert.False(watch.HostSuspected);
        Assert.Equal(HostWatch.DefaultTimeout, watch.Timeout);
    }
}
