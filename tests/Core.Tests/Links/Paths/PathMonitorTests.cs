// The path monitor on a manual clock: keepalives at the measured interval, a dead path noticed within seconds, RTT.
using P2PChat.Core.Links.Paths;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Links.Paths;

public sealed class PathMonitorTests
{
    private sealed class Probe(ManualTimeProvider time) : IPathProbe
    {
        public List<TimeSpan> SentAt { get; } = [];
        public void SendProbe() => SentAt.Add(time.Elapsed);
    }

    [Fact]
    public void An_idle_path_gets_keepalives_that_stretch_as_the_binding_survives()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);
        monitor.HealthChanged += h => Assert.Fail($"an answered path must stay alive, went {h}");

        for (int i = 0; i < 5; i++)
        {
            time.Advance(monitor.KeepaliveInterval);
            monitor.OnProbeAnswered(TimeSpan.FromMilliseconds(40));
        }

        Assert.Equal([10, 25, 47.5, 72.5, 97.5], probe.SentAt.Select(t => t.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(25), monitor.KeepaliveInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(40), monitor.Rtt);
        Assert.Equal(PathHealth.Alive, monitor.Health);
    }

    [Fact]
    public void Traffic_going_out_postpones_keepalives()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);
        for (int i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            monitor.OnOutbound();
            monitor.OnInbound();
        }
        Assert.Empty(probe.SentAt);
    }

    [Fact]
    public void A_path_that_swallows_traffic_is_suspect_after_1_s_and_dead_3_5_s_after_the_first_lost_packet()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);
        var changes = new List<(PathHealth, TimeSpan)>();
        monitor.HealthChanged += h => changes.Add((h, time.Elapsed));
        time.Advance(TimeSpan.FromSeconds(2));

        monitor.OnOutbound();               // data at 2 s, never answered
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal([(PathHealth.Suspect, TimeSpan.FromSeconds(3)), (PathHealth.Dead, TimeSpan.FromSeconds(5.5))], changes);
        Assert.Equal([3, 3.5, 4, 4.5, 5], probe.SentAt.Select(t => t.TotalSeconds));
        monitor.OnInbound();
        Assert.Equal(PathHealth.Dead, monitor.Health);   // final
    }

    [Fact]
    public void An_answer_while_suspect_brings_the_path_back()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);
        var changes = new List<PathHealth>();
        monitor.HealthChanged += changes.Add;
        monitor.OnOutbound();
        time.Advance(TimeSpan.FromSeconds(1.6));

        monitor.OnProbeAnswered(TimeSpan.FromMilliseconds(900));
        time.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal([PathHealth.Suspect, PathHealth.Alive], changes);
        Assert.Equal(PathHealth.Alive, monitor.Health);
    }

    [Fact]
    public void An_idle_path_that_died_is_noticed_within_one_keepalive_interval_and_3_5_s_and_its_silence_becomes_the_bound()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);
        TimeSpan? dead = null;
        monitor.HealthChanged += h => { if (h == PathHealth.Dead) dead = time.Elapsed; };

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.FromSeconds(13.5), dead);
        Assert.Equal(TimeSpan.FromSeconds(10), monitor.Lifetime.Expired);
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.KeepaliveInterval);
    }

    [Fact]
    public void A_keepalive_answered_from_a_new_address_of_ours_means_the_binding_expired()
    {
        var time = new ManualTimeProvider();
        var probe = new Probe(time);
        using var monitor = new PathMonitor(probe, time);

        time.Advance(TimeSpan.FromSeconds(10));
        monitor.OnProbeAnswered(TimeSpan.FromMilliseconds(30), bindingChanged: true);

        Assert.Equal(TimeSpan.FromSeconds(10), monitor.Lifetime.Expired);
        Assert.Equal(TimeSpan.FromSeconds(5), monitor.KeepaliveInterval);
        Assert.Equal(PathHealth.Alive, monitor.Health);
    }
}
