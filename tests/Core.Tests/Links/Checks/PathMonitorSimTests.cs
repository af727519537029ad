// Keepalives and the binding-lifetime test on the simulator: idle links survive short NAT timeouts; dead paths are noticed.
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class PathMonitorSimTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(70, 32).Select(i => (byte)i)];

    private static (LinkLab Lab, LinkSite A, LinkSite B, PathMonitor Ma, PathMonitor Mb, EstablishedPath Pa, EstablishedPath Pb) Linked(TimeSpan natTimeout, bool portPreservation = true)
    {
        var lab = new LinkLab();
        var behaviour = NatBehaviour.PortRestrictedCone with { MappingTimeout = natTimeout, PortPreservation = portPreservation };
        var a = lab.BehindNat(1, behaviour);
        var b = lab.BehindNat(2, behaviour);
        var (ra, rb) = lab.Establish(a, b, Token);
        var ma = ra.Path!.Monitor(lab.Time, a.NewSocket(System.Net.Sockets.AddressFamily.InterNetwork));
        var mb = rb.Path!.Monitor(lab.Time, b.NewSocket(System.Net.Sockets.AddressFamily.InterNetwork));
        return (lab, a, b, ma, mb, ra.Path, rb.Path);
    }

    [Fact]
    public void With_12_s_nat_timeouts_the_lifetime_test_finds_the_bound_and_an_idle_link_survives_five_minutes()
    {
        var (lab, _, _, ma, mb, pa, pb) = Linked(TimeSpan.FromSeconds(12));
        var seenAs = pa.SeenAs;

        lab.Time.Advance(TimeSpan.FromMinutes(5));

        foreach (var m in new[] { ma, mb })
        {
            Assert.Equal(PathHealth.Alive, m.Health);
            Assert.Equal(TimeSpan.FromSeconds(10), m.Lifetime.Survived);
            Assert.Equal(TimeSpan.FromSeconds(15), m.Lifetime.Expired);
            Assert.Equal(TimeSpan.FromSeconds(7.5), m.KeepaliveInterval);
        }
        // The path's own bindings never lapsed: the peer still sees us at the address of the nomination.
        System.Net.IPEndPoint? now = null;
        pa.ConsentAnswered = (_, seen) => now = seen;
        pa.SendConsentCheck();
        lab.Time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(seenAs, now);
        Assert.Equal(5, lab.Network.BoundSockets);   // 3 STUN servers and 2 hosts: the spare test sockets are closed
        Assert.NotNull(pb);
    }

    [Fact]
    public void With_two_minute_nat_timeouts_the_interval_grows_to_25_s()
    {
        var (lab, _, _, ma, mb, _, _) = Linked(TimeSpan.FromMinutes(2));

        lab.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.All(new[] { ma, mb }, m =>
        {
            Assert.Equal(PathHealth.Alive, m.Health);
            Assert.Equal(TimeSpan.FromSeconds(30), m.Lifetime.Survived);
            Assert.Null(m.Lifetime.Expired);
            Assert.Equal(TimeSpan.FromSeconds(25), m.KeepaliveInterval);
        });
    }

    [Fact]
    public void Where_the_nat_does_not_keep_ports_the_test_gives_no_result_and_the_interval_stays_at_what_the_path_proves()
    {
        var (lab, _, _, ma, mb, _, _) = Linked(TimeSpan.FromMinutes(2), portPreservation: false);

        lab.Time.Advance(TimeSpan.FromMinutes(2));

        Assert.All(new[] { ma, mb }, m =>
        {
            Assert.Equal(PathHealth.Alive, m.Health);
            Assert.Equal(TimeSpan.FromSeconds(10), m.KeepaliveInterval);
        });
        Assert.Equal(5, lab.Network.BoundSockets);
    }

    [Fact]
    public void A_path_cut_in_both_directions_is_noticed_by_both_sides_within_one_interval_and_3_5_s()
    {
        var (lab, _, _, ma, mb, _, _) = Linked(TimeSpan.FromMinutes(2));
        lab.Time.Advance(TimeSpan.FromMinutes(2));
        var cutAt = lab.Time.Elapsed;
        var dead = new Dictionary<PathMonitor, TimeSpan>();
        ma.HealthChanged += h => { if (h == PathHealth.Dead) dead[ma] = lab.Time.Elapsed - cutAt; };
        mb.HealthChanged += h => { if (h == PathHealth.Dead) dead[mb] = lab.Time.Elapsed - cutAt; };

        lab.Network.Cut = (_, _, _) => true;
        lab.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, dead.Count);
        Assert.All(dead.Values, d => Assert.True(d <= KeepalivePolicy.Ceiling + PathMonitorOptions.Default.DeadAfter, $"noticed after {d}"));
    }

    [Fact]
    public void Traffic_reported_by_the_transport_gets_a_dead_path_noticed_in_3_5_s_even_with_a_long_interval()
    {
        var (lab, _, _, ma, _, _, _) = Linked(TimeSpan.FromMinutes(2));
        lab.Time.Advance(TimeSpan.FromMinutes(2));
        lab.Network.Cut = (_, _, _) => true;
        lab.Time.Advance(TimeSpan.FromMilliseconds(50));   // what was already in flight arrives
        var cutAt = lab.Time.Elapsed;
        TimeSpan? dead = null;
        ma.HealthChanged += h => { if (h == PathHealth.Dead) dead = lab.Time.Elapsed - cutAt; };

        ma.OnOutbound();   // a message went out
        lab.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(dead == TimeSpan.FromSeconds(3.5), $"{ma.Health} {ma.ProbesSent} {dead} {string.Join(",", lab.Network.Drops.TakeLast(5))}");
    }
}
