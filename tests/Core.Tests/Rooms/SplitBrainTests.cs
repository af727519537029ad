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
        Assert.Contains("signed by the host", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckRival(held, byC.Sign(cast.Tags[1], cast.Keys[1]))).Message);
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
}
