// Checks from strangers, forgeries, reflections and replay floods on the simulator: dropped without state, never amplified.
using System.Net;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.NetLab.Sim;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class CheckAbuseSimTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(7, 32).Select(i => (byte)i)];
    private static readonly IPEndPoint Attacker = IPEndPoint.Parse("203.0.113.66:6666");
    private static readonly IPEndPoint Victim = IPEndPoint.Parse("203.0.113.99:9999");

    /// <summary>A public host (no NAT filter in the way) linked to a cone peer; the attacker can reach it directly.</summary>
    private static (LinkLab Lab, LinkSite Host, LinkSite Peer, EstablishedPath HostPath, List<(byte[] Data, IPEndPoint From, IPEndPoint To)> Wire) Linked()
    {
        var lab = new LinkLab();
        var host = lab.Public(1);
        var peer = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        var wire = new List<(byte[], IPEndPoint, IPEndPoint)>();
        lab.Network.Tap = (data, from, to) => wire.Add((data, from, to));
        var (rp, rh) = lab.Establish(peer, host, Token);
        Assert.NotNull(rp.Path);
        return (lab, host, peer, rh.Path!, wire);
    }

    [Fact]
    public void Forged_and_foreign_checks_get_no_answer_and_leave_no_state()
    {
        var (lab, host, _, path, wire) = Linked();
        var keys = new CheckKeys(Token);
        var stranger = new CheckKeys(Token.Select(b => (byte)(b + 1)).ToArray());
        int rejectedBefore = path.RejectedChecks;
        long droppedBefore = host.Checks.DroppedChecks;
        var forged = keys.Seal(new CheckPacket(CheckPacketType.Request, CheckFlags.Controlling, keys.SessionId, 1, 1, host.Local));
        forged[60] ^= 1;                                                             // right session, wrong MAC

        lab.Network.Inject(forged, Attacker, host.Local);
        lab.Network.Inject(stranger.Seal(new CheckPacket(CheckPacketType.Request, CheckFlags.Controlling, stranger.SessionId, 2, 1, host.Local)), Attacker, host.Local);
        lab.Network.Inject([0xC1, .. new byte[20]], Attacker, host.Local);          // too short to carry a session
        lab.Network.Inject(keys.Seal(new CheckPacket(CheckPacketType.Response, CheckFlags.Controlling, keys.SessionId, 3, 0, Attacker)), Attacker, host.Local);
        lab.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.DoesNotContain(wire, w => w.To.Equals(Attacker));
        Assert.Equal(rejectedBefore + 2, path.RejectedChecks);                      // the forgery and the unmatched response
        Assert.Equal(droppedBefore + 2, host.Checks.DroppedChecks);                 // unknown session, too short: before any session
    }

    [Fact]
    public void Our_own_checks_reflected_back_are_refused()
    {
        var (lab, host, _, path, wire) = Linked();
        var keys = new CheckKeys(Token);
        int before = path.RejectedChecks;
        // The host is the controlled side: a request claiming the controlled role is one of its own, bounced back.
        lab.Network.Inject(keys.Seal(new CheckPacket(CheckPacketType.Request, CheckFlags.None, keys.SessionId, 5, 1, host.Local)), Attacker, host.Local);
        lab.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(before + 1, path.RejectedChecks);
        Assert.DoesNotContain(wire, w => w.To.Equals(Attacker));
    }

    [Fact]
    public void A_replayed_request_flood_is_answered_at_most_at_the_rate_limit_and_never_with_more_bytes()
    {
        var (lab, host, peer, path, wire) = Linked();
        var captured = wire.Last(w => w.To.Equals(host.Local) && w.Data[0] == (byte)CheckPacketType.Request).Data;
        wire.Clear();
        int limit = new EstablishOptions().MaxResponsesPerSecond;

        // 10,000 copies over 2 simulated seconds, "from" the victim (a spoofed source).
        for (int i = 0; i < 10_000; i++)
        {
            lab.Network.Inject(captured, Victim, host.Local);
            if (i % 100 == 99) lab.Time.Advance(TimeSpan.FromMilliseconds(20));
        }
        lab.Time.Advance(TimeSpan.FromSeconds(1));

        var toVictim = wire.Where(w => w.To.Equals(Victim) && w.From.Equals(host.Local)).ToList();
        Assert.InRange(toVictim.Count, 1, 3 * limit);                               // at most the limit in each of 3 windows
        Assert.All(toVictim, w => Assert.Equal(captured.Length, w.Data.Length));    // same size as the request: no amplification
        long sent = toVictim.Sum(w => (long)w.Data.Length), received = 10_000L * captured.Length;
        Assert.True(sent * 10 < received, $"answered {sent} bytes for {received}");
        Assert.Equal(PathVia.Reflexive, path.Via);                                 // the path itself is untouched
    }

    [Fact]
    public void A_flood_of_checks_from_strangers_makes_no_answers_during_establishment()
    {
        var lab = new LinkLab();
        var a = lab.Public(1);
        var b = lab.BehindNat(2, NatBehaviour.PortRestrictedCone);
        var wire = new List<(byte[] Data, IPEndPoint From, IPEndPoint To)>();
        lab.Network.Tap = (data, from, to) => wire.Add((data, from, to));
        var ca = a.Gather();
        var cb = b.Gather();
        var ta = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), Token, CheckRole.Controlling, a.NewSocket, lab.Time, CancellationToken.None, LinkLab.Options());
        var tb = LinkEstablisher.EstablishAsync(cb, ca.ToCandidateSet(), Token, CheckRole.Controlled, b.NewSocket, lab.Time, CancellationToken.None, LinkLab.Options());
        var keys = new CheckKeys(Token);
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            var junk = new byte[64];
            random.NextBytes(junk);
            junk[0] = 0xC1;
            if (i % 2 == 0) BitConverter.GetBytes(keys.SessionId).Reverse().ToArray().CopyTo(junk, 4);   // right session, garbage MAC
            lab.Network.Inject(junk, new IPEndPoint(Attacker.Address, 10000 + i), a.Local);
        }
        var results = lab.Run(Task.WhenAll(ta, tb));

        Assert.NotNull(results[0].Path);
        Assert.NotNull(results[1].Path);
        Assert.DoesNotContain(wire, w => w.To.Address.Equals(Attacker.Address));
        Assert.Equal(1000, results[0].Statistics.Rejected);
        Assert.True(a.Checks.DroppedChecks >= 1000);
    }
}
