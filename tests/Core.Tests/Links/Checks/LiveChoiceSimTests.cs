// The engine's live path choice on the simulator: racing reports before nomination, and the ranker's hysteresis against the path in use.
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class LiveChoiceSimTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(40, 32).Select(i => (byte)i)];

    private sealed record Run(LinkEstablishment Controlling, LinkEstablishment Controlled, List<ReachablePair> ReachedA, List<ReachablePair> ReachedB, TimeSpan Elapsed);

    /// <summary>Cone to cone, 10 ms each way; <paramref name="inUse"/> is the controlling side's current path.</summary>
    private static Run Establish(Func<PathSample?>? inUse, int seed = 1)
    {
        var lab = new LinkLab(seed, TimeSpan.FromMilliseconds(10));
        var sa = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var sb = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        var ca = sa.Gather();
        var cb = sb.Gather();
        var start = lab.Time.Elapsed;
        var options = LinkLab.Options(new EstablishOptions { Random = new Random(seed + 31), Deadline = TimeSpan.FromSeconds(3) });
        List<ReachablePair> reachedA = [], reachedB = [];
        var ta = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, sa.NewSocket, lab.Time, CancellationToken.None, options,
            p => { lock (reachedA) reachedA.Add(p); }, inUse);
        var tb = LinkEstablisher.EstablishAsync(cb, ca.ToCandidateSet(), Token, CheckRole.Controlled, sb.NewSocket, lab.Time, CancellationToken.None, options,
            p => { lock (reachedB) reachedB.Add(p); });
        var done = lab.Time.RunUntilDone(Task.WhenAll(ta, tb), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1));
        return new Run(done[0], done[1], reachedA, reachedB, lab.Time.Elapsed - start);
    }

    [Fact]
    public void Both_sides_learn_a_reachable_pair_before_the_nomination_and_it_is_the_nominated_one()
    {
        var run = Establish(inUse: null);

        Assert.NotNull(run.Controlling.Path);
        Assert.NotNull(run.Controlled.Path);
        var a = Assert.Single(run.ReachedA);
        var b = Assert.Single(run.ReachedB);
        Assert.Equal(run.Controlling.Path.Remote.EndPoint, a.Remote);
        Assert.Same(run.Controlling.Path.Socket, a.Socket);
        Assert.Equal(run.Controlled.Path.Remote.EndPoint, b.Remote);
    }

    [Fact]
    public void A_live_path_of_the_same_class_and_a_similar_rtt_is_kept_so_the_link_does_not_flap()
    {
        var inUse = new PathSample("in use", PathVia.Reflexive, TimeSpan.FromMilliseconds(21), Alive: true);
        var run = Establish(() => inUse);

        Assert.Null(run.Controlling.Path);
        Assert.Contains("current path is kept", run.Controlling.Outcome);
        Assert.Null(run.Controlled.Path);   // nothing was nominated, so the other side keeps the path in use too
        Assert.NotEmpty(run.ReachedA);      // the pair did answer: it was held back, not lost
    }

    [Theory]
    [InlineData(PathVia.Mapped, 20, true)]       // leaving a router mapping for a direct path is a real gain
    [InlineData(PathVia.Reflexive, 200, true)]  // the same class, ten times the RTT: a real gain
    [InlineData(PathVia.Lan, 30, false)]         // a better class in use is never left for a worse one
    public void A_checked_pair_replaces_the_live_path_only_for_a_real_gain(PathVia via, int rttMs, bool replaced)
    {
        var run = Establish(() => new PathSample("in use", via, TimeSpan.FromMilliseconds(rttMs), Alive: true));

        Assert.Equal(replaced, run.Controlling.Path is not null);
        Assert.Equal(replaced, run.Controlled.Path is not null);
    }

    [Fact]
    public void A_path_in_use_that_is_not_alive_is_replaced_at_once()
    {
        var run = Establish(() => new PathSample("in use", PathVia.Lan, TimeSpan.FromMilliseconds(1), Alive: false));

        Assert.NotNull(run.Controlling.Path);
        Assert.NotNull(run.Controlled.Path);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(1), $"simulated time {run.Elapsed}");   // not held until the deadline
    }
}
