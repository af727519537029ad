// Two hosts after a partition heals: every member converges on the same state whatever order it hears them in.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Rooms;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class SplitBrainTests
{
    [Fact]
    public void Two_rival_hosts_converge_on_the_higher_epoch_then_version_then_lower_host()
    {
        var cast = new RoomStateTests.Cast();
        var held = cast.Three().State;
        // Partition: B and C each believe A died and claim the room in epoch 2.
        var byB = held with { Version = 4, Epoch = 2, Host = cast.Tags[1], Succession = [cast.Tags[2], cast.Tags[0]] };
        var byC = held with { Version = 4, Epoch = 2, Host = cast.Tags[2], Succession = [cast.Tags[1], cast.Tags[0]] };
        RoomStateRules.CheckRival(held, byB.Sign(cast.Tags[1], cast.Keys[1]));
        RoomStateRules.CheckRival(held, byC.Sign(cast.Tags[2], cast.Keys[2]));
        Assert.Contains("signed by the host it names, our host or a moderator", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckRival(held, byC.Sign(cast.Tags[1], cast.Keys[1]))).Message);
        Assert.Same(byB, RoomStateRules.Prefer(byB, byC));
        Assert.Same(byB, RoomStateRules.Prefer(byC, byB));
        var later = byC with { Version = 9 };
        Assert.Same(later, RoomStateRules.Prefer(byB, later));
        Assert.True(RoomStateRules.Beats(later, byB));
        Assert.False(RoomStateRules.Beats(byB, byB with { }));
    }

    [Fact]
    public void Prefer_is_a_total_order_so_any_arrival_order_converges()
    {
        var cast = new RoomStateTests.Cast();
        var held = cast.Three().State;
        var gen = Gen.Choose(1, 3).SelectMany(epoch => Gen.Choose(3, 6).SelectMany(version => Gen.Choose(0, 2).Select(host =>
            held with { Epoch = (uint)epoch, Version = (ulong)version, Host = cast.Tags[host], Succession = [.. cast.Tags.Take(3).Where((_, i) => i != host)] })));
        Prop.ForAll(Arb.From(gen.ListOf().Where(l => l.Count > 0)), states =>
        {
            var forward = states.Aggregate(RoomStateRules.Prefer);
            var backward = Enumerable.Reverse(states).Aggregate(RoomStateRules.Prefer);
            return forward.Digest().AsSpan().SequenceEqual(backward.Digest());
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_claim_and_a_handoff_of_equal_epoch_and_version_converge_on_the_claim_from_either_side()
    {
        // The vote flake of sessions 7-8: the host handed the room to B while C, not reaching B in time, claimed it.
        var cast = new RoomStateTests.Cast();
        var held = cast.Three();
        var handoff = (held.State with { Version = 4, Epoch = 2, Host = cast.Tags[1], Succession = [cast.Tags[2], cast.Tags[0]] }).Sign(cast.Tags[0], cast.Keys[0]);
        var claim = (held.State with { Version = 4, Epoch = 2, Host = cast.Tags[2], Succession = [cast.Tags[1], cast.Tags[0]] }).Sign(cast.Tags[2], cast.Keys[2]);
        // By state alone the handoff wins (lower host tag); a rival had to be signed by its host, so the claim's holder
        // refused it, and the handoff's holder kept its own: two states of equal version and epoch for good.
        Assert.Same(handoff.State, RoomStateRules.Prefer(handoff.State, claim.State));
        Assert.Equal(StateVerdict.Rival, RoomStateRules.Judge(handoff, claim));
        Assert.Throws<RoomProtocolException>(() => RoomStateRules.Judge(claim, handoff));   // refused as stale: the claim is kept
        Assert.Same(claim, RoomStateRules.Prefer(handoff, claim));
        Assert.Same(claim, RoomStateRules.Prefer(claim, handoff));
    }

    [Fact]
    public void Every_holder_of_a_rival_grown_from_one_state_takes_the_preferred_one_and_its_holder_keeps_it()
    {
        // A room hosted by B, a plain member (so a handoff is not signed by a moderator); A is the creator. The rivals:
        // B's own change, A's (a moderator's) change, B's handoff to A or C, claims by A or C: one step each.
        var cast = new RoomStateTests.Cast();
        var (a, b, c) = (cast.Tags[0], cast.Tags[1], cast.Tags[2]);
        var baseState = cast.Three().State with { Version = 10, Epoch = 3, Host = b, Succession = [c, a] };
        var rivals = new List<SignedRoomState>();
        foreach (var v in new ulong[] { 11 })
        {
            rivals.Add((baseState with { Version = v, Succession = [a, c] }).Sign(b, cast.Keys[1]));
            rivals.Add((baseState with { Version = v, Name = "renamed" + v }).Sign(a, cast.Keys[0]));
            rivals.Add((baseState with { Version = v, Epoch = 4, Host = a, Succession = [c, b] }).Sign(b, cast.Keys[1]));
            rivals.Add((baseState with { Version = v, Epoch = 4, Host = c, Succession = [a, b] }).Sign(b, cast.Keys[1]));
            rivals.Add((baseState with { Version = v, Epoch = 4, Host = a, Succession = [c, b] }).Sign(a, cast.Keys[0]));
            rivals.Add((baseState with { Version = v, Epoch = 4, Host = c, Succession = [a, b] }).Sign(c, cast.Keys[2]));
        }
        var held = baseState.Sign(b, cast.Keys[1]);
        static string Show(SignedRoomState s) => $"(e{s.State.Epoch} v{s.State.Version} host {s.State.Host} by {s.Signer} {s.State.Name})";
        // A host signs one state per version: at most one of its handoffs is in a set.
        static bool OneHandoff(List<SignedRoomState> l) => l.Count(r => r.State.Epoch == 4 && r.Signer != r.State.Host) <= 1;
        Prop.ForAll(Arb.From(Gen.SubListOf(rivals.ToArray()).Where(l => l.Count > 0 && OneHandoff(l))), states =>
        {
            var all = states.Append(held).ToList();
            var best = all.Aggregate(RoomStateRules.Prefer);
            Assert.Same(best, Enumerable.Reverse(all).Aggregate(RoomStateRules.Prefer));
            foreach (var other in all.Where(s => !s.State.Digest().AsSpan().SequenceEqual(best.State.Digest())))
            {
                Assert.True(RoomStateRules.Judge(other, best) is StateVerdict.Successor or StateVerdict.Rival, $"{Show(other)} does not take {Show(best)}");
                try { Assert.Equal(StateVerdict.Keep, RoomStateRules.Judge(best, other)); }
                catch (RoomProtocolException) { }   // refused as stale: kept too
            }
        }).QuickCheckThrowOnFailure();
    }
}
