// The link engine on the NAT simulator: every NAT pairing ends direct where it can (and how), relay where it cannot.
using System.Net;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class LinkEstablisherSimTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    // Not the network's seed: the NAT's random ports and the probe order must not correlate.
    private static EstablishOptions Seeded(int seed) => new() { Random = new Random(seed + 7919) };

    [Fact]
    public void Cone_to_cone_goes_direct_over_the_reflexive_addresses_on_the_shared_sockets()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var b = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);

        var (ra, rb) = lab.Establish(a, b, Token);

        Assert.NotNull(ra.Path);
        Assert.NotNull(rb.Path);
        Assert.Equal(PathVia.Reflexive, ra.Path.Via);
        Assert.Equal(PathVia.Reflexive, rb.Path.Via);
        Assert.Equal(IPEndPoint.Parse("192.0.2.2:5000"), ra.Path.Remote.EndPoint);
        Assert.Equal(IPEndPoint.Parse("192.0.2.1:5000"), rb.Path.Remote.EndPoint);
        Assert.Same(a.Checks, ra.Path.Socket);
        Assert.True(ra.Path.SocketIsShared && rb.Path.SocketIsShared);
        Assert.Equal(0, ra.Statistics.SocketsOpened + ra.Statistics.ProbesSent + rb.Statistics.SocketsOpened + rb.Statistics.ProbesSent);
        Assert.True(ra.Path.Rtt >= 2 * lab.Network.Latency, $"a check takes a round trip, measured {ra.Path.Rtt}");
    }

    [Fact]
    public void Full_cone_to_public_host_goes_direct()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.FullCone);
        var b = lab.Public(2);

        var (ra, rb) = lab.Establish(a, b, Token);

        Assert.Equal(PathVia.Reflexive, ra.Path!.Via);
        Assert.Equal(IPEndPoint.Parse("198.51.100.2:5000"), ra.Path.Remote.EndPoint);
        Assert.Equal(IPEndPoint.Parse("192.0.2.1:5000"), rb.Path!.Remote.EndPoint);
    }

    [Fact]
    public void Symmetric_to_symmetric_finds_no_direct_path_and_does_not_probe()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.Symmetric);
        var b = lab.BehindNat(2, NatBehaviour.Symmetric);

        var (ra, rb) = lab.Establish(a, b, Token);

        Assert.Null(ra.Path);
        Assert.Null(rb.Path);
        Assert.Contains("every candidate pair failed", ra.Outcome);
        Assert.Equal(0, ra.Statistics.SocketsOpened + ra.Statistics.ProbesSent + rb.Statistics.SocketsOpened + rb.Statistics.ProbesSent);
        Assert.Equal(0, a.Checks.DroppedChecks + b.Checks.DroppedChecks);
    }

    [Theory]
    [InlineData(1, true)] [InlineData(2, true)] [InlineData(3, false)] [InlineData(4, false)]
    public void Symmetric_to_cone_goes_direct_by_birthday_probing_within_the_budget(int seed, bool hardControls)
    {
        var lab = new LinkLab(seed);
        var hard = lab.BehindNat(1, NatBehaviour.Symmetric);
        var easy = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        int boundBefore = lab.Network.BoundSockets;

        var (first, second) = hardControls ? lab.Establish(hard, easy, Token, Seeded(seed)) : lab.Establish(easy, hard, Token, Seeded(seed));
        var (rh, re) = hardControls ? (first, second) : (second, first);

        Assert.NotNull(rh.Path);
        Assert.NotNull(re.Path);
        Assert.Equal(PathVia.Probed, rh.Path.Via);
        Assert.Equal(PathVia.Probed, re.Path.Via);
        Assert.False(rh.Path.SocketIsShared);                        // one of the hard side's extra sockets
        Assert.Contains(rh.Path.Socket.LocalEndPoint, hard.Opened.Select(s => s.LocalEndPoint));
        Assert.Equal(IPEndPoint.Parse("192.0.2.2:5000"), rh.Path.Remote.EndPoint);
        Assert.True(re.Path.SocketIsShared);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), re.Path.Remote.EndPoint.Address);
        var options = new EstablishOptions();
        Assert.Equal(options.BirthdaySockets, rh.Statistics.SocketsOpened);
        Assert.InRange(re.Statistics.ProbesSent, 1, options.BirthdayProbes);
        // Every extra socket but the one in use is closed.
        Assert.Equal(boundBefore + 1, lab.Network.BoundSockets);
        rh.Path.Dispose();
        Assert.Equal(boundBefore, lab.Network.BoundSockets);
    }

    /// <summary>
    /// Lab scenario 9's link that went down: the hard side (controlled) finished on the nomination, then closed its 255
    /// other probing sockets under the session's lock before setting the result. A real socket's close waits for its
    /// receive thread (up to 5 s; that thread may itself wait for the lock), so the nomination reached the link seconds
    /// after the peer had moved to the path, and the link, silent meanwhile, was ended. The result must be set first and
    /// the sockets closed with the lock free.
    /// </summary>
    [Theory]
    [InlineData(1)] [InlineData(3)]
    public void The_hard_side_sets_its_result_before_it_closes_its_probing_sockets_and_not_under_its_lock(int seed)
    {
        var lab = new LinkLab(seed);
        var hard = lab.BehindNat(1, NatBehaviour.Symmetric);
        var easy = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        Task<LinkEstablishment>? hardResult = null;
        var closes = new List<(int Sockets, bool ResultSet, bool LockFree)>();
        var options = LinkLab.Options(Seeded(seed)) with
        {
            CloseSockets = sockets =>
            {
                bool set = hardResult is { IsCompletedSuccessfully: true };
                bool free = false;
                if (set && hardResult!.Result.Path is { } path)
                {
                    // Another thread takes the session's lock, as a socket's receive thread would while it is closed.
                    var other = new Thread(() => _ = path.RejectedChecks);
                    other.Start();
                    free = other.Join(TimeSpan.FromSeconds(30));   // a safety net against a deadlock, not a timing
                }
                closes.Add((sockets.Count, set, free));
                EstablishOptions.CloseInline(sockets);
            },
        };
        var ce = easy.Gather();
        var ch = hard.Gather();
        var te = LinkEstablisher.EstablishAsync(ce, ch.ToCandidateSet(), Token, CheckRole.Controlling, easy.NewSocket, lab.Time, CancellationToken.None, options);
        hardResult = LinkEstablisher.EstablishAsync(ch, ce.ToCandidateSet(), Token, CheckRole.Controlled, hard.NewSocket, lab.Time, CancellationToken.None, options);
        var both = lab.Run(Task.WhenAll(te, hardResult), 60);

        Assert.Equal(PathVia.Probed, both[1].Path!.Via);
        var close = Assert.Single(closes, c => c.Sockets > 1);
        Assert.Equal(new EstablishOptions().BirthdaySockets - 1, close.Sockets);   // every probing socket but the path's
        Assert.True(close.ResultSet, "the probing sockets were closed before the result was set");
        Assert.True(close.LockFree, "the probing sockets were closed under the session's lock");
    }

    /// <summary>Under load the hard side's 256 sockets can open after the easy side's whole first sweep (4.1 s) went
    /// out to ports with no mapping yet; a sweep without an answer runs once more, and the link goes direct.</summary>
    [Theory]
    [InlineData(1)] [InlineData(2)]
    public void A_hard_side_that_opens_its_sockets_after_the_first_sweep_is_found_by_the_second(int seed)
    {
        var lab = new LinkLab(seed);
        var easy = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var hard = lab.BehindNat(2, NatBehaviour.Symmetric);
        var ce = easy.Gather();
        var ch = hard.Gather();
        var options = LinkLab.Options(Seeded(seed));
        var te = LinkEstablisher.EstablishAsync(ce, ch.ToCandidateSet(), Token, CheckRole.Controlling, easy.NewSocket, lab.Time, CancellationToken.None, options);
        lab.Time.Advance(options.ProbePacing * options.BirthdayProbes + TimeSpan.FromMilliseconds(200));   // the first sweep is out
        var th = LinkEstablisher.EstablishAsync(ch, ce.ToCandidateSet(), Token, CheckRole.Controlled, hard.NewSocket, lab.Time, CancellationToken.None, options);
        var both = lab.Run(Task.WhenAll(te, th), 60);

        Assert.Equal(PathVia.Probed, both[0].Path?.Via);
        Assert.Equal(PathVia.Probed, both[1].Path?.Via);
        Assert.InRange(both[0].Statistics.ProbesSent, options.BirthdayProbes + 1, options.BirthdaySweeps * options.BirthdayProbes);
    }

    [Fact]
    public async Task By_default_unneeded_sockets_close_on_a_thread_of_their_own()
    {
        var closed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        new EstablishOptions().CloseSockets([new Closing(() => closed.TrySetResult(Environment.CurrentManagedThreadId))]);
        Assert.NotEqual(Environment.CurrentManagedThreadId, await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    private sealed class Closing(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }

    [Fact]
    public void Upnp_router_to_symmetric_goes_direct_through_the_mapped_port_without_probing()
    {
        var lab = new LinkLab();
        var mapped = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var symmetric = lab.BehindNat(2, NatBehaviour.Symmetric);
        mapped.Gather(portMapping: true);
        Assert.True(mapped.Gathered!.Bases[0].Candidates.Any(c => c.Kind == CandidateKind.Mapped), string.Join("\n", mapped.Log));

        var (rm, rs) = lab.Establish(mapped, symmetric, Token);

        Assert.Equal(PathVia.Mapped, rs.Path!.Via);
        Assert.Equal(PathVia.Mapped, rm.Path!.Via);
        Assert.Equal(mapped.Nat!.ExplicitMappings.Keys.Single(), rs.Path.Remote.EndPoint.Port);
        Assert.Equal(0, rm.Statistics.ProbesSent + rs.Statistics.SocketsOpened);
    }

    [Fact]
    public void Symmetric_nat_with_a_pcp_mapping_to_symmetric_goes_direct_through_the_mapped_port()
    {
        var lab = new LinkLab();
        var mapped = lab.BehindNat(1, NatBehaviour.Symmetric);
        mapped.Router!.Upnp = false;
        var symmetric = lab.BehindNat(2, NatBehaviour.Symmetric);
        mapped.Gather(portMapping: true);

        var (rs, rm) = lab.Establish(symmetric, mapped, Token);

        Assert.Equal(PathVia.Mapped, rs.Path!.Via);
        Assert.Equal(PathVia.Mapped, rm.Path!.Via);
        Assert.Contains(mapped.Router.Requests, r => r.StartsWith("pcp", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_symmetric_nats_with_global_ipv6_go_direct_over_ipv6_on_the_ipv6_sockets()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.Symmetric).WithIpv6("2001:db8:1::10");
        var b = lab.BehindNat(2, NatBehaviour.Symmetric).WithIpv6("2001:db8:2::10");

        var (ra, rb) = lab.Establish(a, b, Token);

        Assert.Equal(IPEndPoint.Parse("[2001:db8:2::10]:5000"), ra.Path!.Remote.EndPoint);
        Assert.Equal(IPEndPoint.Parse("[2001:db8:1::10]:5000"), rb.Path!.Remote.EndPoint);
        Assert.Same(a.Ipv6Checks, ra.Path.Socket);
        Assert.True(ra.Path.Remote.IsIpv6);
        Assert.Equal(PathVia.Reflexive, ra.Path.Via);   // direct over the internet (the event's ip_version says 6)
        Assert.Equal(0, ra.Statistics.SocketsOpened + rb.Statistics.SocketsOpened);
    }

    [Fact]
    public void Same_lan_goes_over_the_lan_even_without_hairpinning()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var b = lab.OnSameLan(a);

        var (ra, rb) = lab.Establish(a, b, Token);

        Assert.Equal(PathVia.Lan, ra.Path!.Via);
        Assert.Equal(PathVia.Lan, rb.Path!.Via);
        Assert.Equal(b.Local, ra.Path.Remote.EndPoint);
        Assert.Equal(a.Local, rb.Path.Remote.EndPoint);
    }

    [Fact]
    public void Lan_candidates_of_another_site_lead_nowhere_and_do_not_delay_the_direct_path()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.PortRestrictedCone);
        var b = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);

        var (ra, _) = lab.Establish(a, b, Token);

        Assert.Equal(PathVia.Reflexive, ra.Path!.Via);
        Assert.Contains(lab.Network.Drops, d => d.Contains("192.168.2.10:5000 is not routable", StringComparison.Ordinal));
        Assert.True(lab.Time.Elapsed < TimeSpan.FromSeconds(2), $"the engine waited for a dead LAN pair: {lab.Time.Elapsed}");
    }

    [Fact]
    public void The_two_sides_need_the_same_token()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.FullCone);
        var b = lab.BehindNat(2, NatBehaviour.FullCone);
        var ca = a.Gather();
        var cb = b.Gather();
        var other = Token.Select(x => (byte)(x ^ 0x55)).ToArray();

        var ta = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, a.NewSocket, lab.Time, CancellationToken.None, LinkLab.Options());
        var tb = LinkEstablisher.EstablishAsync(cb, ca.ToCandidateSet(), other, CheckRole.Controlled, b.NewSocket, lab.Time, CancellationToken.None, LinkLab.Options());
        var results = lab.Run(Task.WhenAll(ta, tb), 60);

        Assert.All(results, r => Assert.Null(r.Path));
        Assert.True(a.Checks.DroppedChecks > 0 && b.Checks.DroppedChecks > 0, "each side's checks carry a session id the other does not know");
    }

    [Fact]
    public void Cancellation_stops_the_checks_and_unregisters_the_session()
    {
        var lab = new LinkLab();
        var a = lab.BehindNat(1, NatBehaviour.Symmetric);
        var b = lab.BehindNat(2, NatBehaviour.Symmetric);
        var ca = a.Gather();
        var cb = b.Gather();
        using var cts = new CancellationTokenSource();
        var task = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, a.NewSocket, lab.Time, cts.Token, LinkLab.Options());
        lab.Time.Advance(TimeSpan.FromMilliseconds(300));

        cts.Cancel();
        lab.Time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.True(task.IsCanceled);
        var again = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, a.NewSocket, lab.Time, CancellationToken.None, LinkLab.Options());
        Assert.False(again.IsFaulted, "the session id is free again after cancellation");
    }
}
