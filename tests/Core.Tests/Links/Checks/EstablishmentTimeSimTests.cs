// How long the engine takes on the simulator's clock (simulated time: deterministic, no wall-clock timing).
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class EstablishmentTimeSimTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(90, 32).Select(i => (byte)i)];

    /// <summary>Both engines start together (after discovery); returns the simulated time until both have a path.</summary>
    private static (TimeSpan Elapsed, LinkEstablishment A, LinkEstablishment B) Time(NatBehaviour a, NatBehaviour b, double oneWayMs, int seed = 1)
    {
        var lab = new LinkLab(seed, TimeSpan.FromMilliseconds(oneWayMs));
        var sa = lab.BehindNat(1, a);
        var sb = lab.BehindNat(2, b);
        var ca = sa.Gather();
        var cb = sb.Gather();
        var start = lab.Time.Elapsed;
        var options = LinkLab.Options(new EstablishOptions { Random = new Random(seed + 7919) });   // not the network's seed: NAT ports and probe order must not correlate
        var ta = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, sa.NewSocket, lab.Time, CancellationToken.None, options);
        var tb = LinkEstablisher.EstablishAsync(cb, ca.ToCandidateSet(), Token, CheckRole.Controlled, sb.NewSocket, lab.Time, CancellationToken.None, options);
        var done = lab.Time.RunUntilDone(Task.WhenAll(ta, tb), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));
        return (lab.Time.Elapsed - start, done[0], done[1]);
    }

    [Theory]
    [InlineData(10)]    // 20 ms RTT
    [InlineData(50)]    // 100 ms RTT
    public void Cone_to_cone_is_nominated_within_two_round_trips_and_100_ms(double oneWayMs)
    {
        var (elapsed, a, b) = Time(NatBehaviour.PortRestrictedCone, NatBehaviour.PortRestrictedCone, oneWayMs);

        Assert.Equal(PathVia.Reflexive, a.Path!.Via);
        Assert.NotNull(b.Path);
        var bound = TimeSpan.FromMilliseconds(4 * oneWayMs + 100);
        Assert.True(elapsed <= bound, $"nominated after {elapsed.TotalMilliseconds} ms of simulated time, bound {bound.TotalMilliseconds} ms");
        TestContext.Current.SendDiagnosticMessage($"cone<->cone, RTT {2 * oneWayMs} ms: both nominated after {elapsed.TotalMilliseconds} ms; checks A {a.Statistics.ChecksSent}, B {b.Statistics.ChecksSent}");
    }

    /// <summary>
    /// The first check of every pair leaves at the start (EstablishOptions.InitialChecks), so the reflexive pair does not
    /// wait behind the host pair, which cannot answer across two NATs: each side's check opens its own NAT before the
    /// other's arrives, the controlling side hears the peer's request one way in, nominates after waiting Ta for a better
    /// pair (on the tick after that: up to 2 Ta), and the nomination's answer comes back one round trip after that.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    public void Cone_to_cone_checks_every_pair_at_once_and_nominates_in_one_and_a_half_round_trips_and_two_Ta(double oneWayMs)
    {
        var (elapsed, a, b) = Time(NatBehaviour.PortRestrictedCone, NatBehaviour.PortRestrictedCone, oneWayMs);

        Assert.Equal(PathVia.Reflexive, a.Path!.Via);
        Assert.NotNull(b.Path);
        var bound = TimeSpan.FromMilliseconds(3 * oneWayMs + 1) + 2 * new EstablishOptions().Pacing;
        Assert.True(elapsed <= bound, $"nominated after {elapsed.TotalMilliseconds} ms of simulated time, bound {bound.TotalMilliseconds} ms");
    }

    /// <summary>Two symmetric NATs (no probing: neither side is easy): every pair fails after its six checks (6.2 s), and
    /// both sessions end then, not at the 10 s deadline, so the link's relay route is final sooner.</summary>
    [Fact]
    public void When_every_pair_fails_both_sides_give_up_when_the_last_check_is_unanswered_not_at_the_deadline()
    {
        var (elapsed, a, b) = Time(NatBehaviour.Symmetric, NatBehaviour.Symmetric, 10);

        Assert.Null(a.Path);
        Assert.Null(b.Path);
        Assert.StartsWith("every candidate pair failed", a.Outcome);
        var options = new EstablishOptions();
        var checking = Enumerable.Range(1, options.CheckAttempts).Aggregate(TimeSpan.Zero,
            (sum, n) => sum + TimeSpan.FromTicks(Math.Min((options.CheckRetransmit * Math.Pow(2, n - 1)).Ticks, options.MaxRetransmit.Ticks)));
        Assert.True(elapsed <= checking + 2 * options.Pacing, $"gave up after {elapsed.TotalMilliseconds} ms of simulated time, checks take {checking.TotalMilliseconds} ms");
        Assert.True(elapsed < options.Deadline);
    }

    [Theory]
    [InlineData(10, 1)] [InlineData(10, 2)] [InlineData(50, 3)]
    public void Symmetric_to_cone_by_probing_within_the_probe_window(double oneWayMs, int seed)
    {
        var (elapsed, a, b) = Time(NatBehaviour.Symmetric, NatBehaviour.PortRestrictedCone, oneWayMs, seed);

        Assert.Equal(PathVia.Probed, a.Path!.Via);
        Assert.NotNull(b.Path);
        var window = new EstablishOptions().ProbePacing * new EstablishOptions().BirthdayProbes;
        Assert.True(elapsed <= window + TimeSpan.FromMilliseconds(4 * oneWayMs + 250), $"probing took {elapsed}");
        TestContext.Current.SendDiagnosticMessage($"symmetric<->cone, RTT {2 * oneWayMs} ms, seed {seed}: {elapsed.TotalMilliseconds} ms, probes {b.Statistics.ProbesSent}, sockets {a.Statistics.SocketsOpened}");
    }

    [Fact]
    public void Symmetric_to_cone_succeeds_for_twenty_different_nats_within_the_probe_budget()
    {
        var probes = new List<int>();
        for (int seed = 100; seed < 120; seed++)
        {
            var (_, hard, easy) = Time(NatBehaviour.Symmetric, NatBehaviour.PortRestrictedCone, 10, seed);
            Assert.Equal(PathVia.Probed, hard.Path?.Via);
            Assert.NotNull(easy.Path);
            probes.Add(easy.Statistics.ProbesSent);
        }
        Assert.All(probes, p => Assert.InRange(p, 1, new EstablishOptions().BirthdayProbes));
        TestContext.Current.SendDiagnosticMessage($"probes per success: median {probes.Order().ElementAt(10)}, max {probes.Max()}");
    }
}
