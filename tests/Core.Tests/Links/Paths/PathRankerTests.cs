// The pure path ranker: class order, RTT, hysteresis, and no flapping however the RTTs wander.
using P2PChat.Core.Links.Paths;
using Xunit;

namespace P2PChat.Core.Tests.Links.Paths;

public sealed class PathRankerTests
{
    private static PathSample P(string id, PathVia via, double? rttMs, bool alive = true) =>
        new(id, via, rttMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, alive);

    [Fact]
    public void Lan_beats_direct_beats_mapped_beats_relay_whatever_the_rtt()
    {
        var paths = new[] { P("relay", PathVia.Relay, 1), P("mapped", PathVia.Mapped, 2), P("direct", PathVia.Reflexive, 50), P("lan", PathVia.Lan, 80) };

        Assert.Equal("lan", PathRanker.Best(paths)!.Id);
        Assert.Equal(["lan", "direct", "mapped", "relay"], paths.Order(Comparer<PathSample>.Create(PathRanker.Compare)).Select(p => p.Id));
        Assert.Equal("direct", PathRanker.Best(paths[..3])!.Id);
        Assert.Equal("mapped", PathRanker.Best(paths[..2])!.Id);
    }

    [Fact]
    public void Probed_paths_count_as_direct_and_lower_rtt_wins_within_a_class()
    {
        var paths = new[] { P("reflexive", PathVia.Reflexive, 40), P("probed", PathVia.Probed, 30), P("unmeasured", PathVia.Reflexive, null) };

        Assert.Equal("probed", PathRanker.Best(paths)!.Id);
        Assert.Equal("reflexive", PathRanker.Best([paths[0], paths[2]])!.Id);
    }

    [Fact]
    public void Dead_paths_are_never_chosen_and_a_dead_current_path_is_replaced_at_once()
    {
        var paths = new[] { P("lan", PathVia.Lan, 1, alive: false), P("relay", PathVia.Relay, 90) };

        Assert.Equal("relay", PathRanker.Choose("lan", paths)!.Id);
        Assert.Equal("relay", PathRanker.Choose("gone", paths)!.Id);
        Assert.Null(PathRanker.Choose("relay", [paths[0], paths[1] with { Alive = false }]));
    }

    [Fact]
    public void Leaving_the_relay_for_a_direct_path_is_a_real_gain_once_the_direct_rtt_is_measured()
    {
        Assert.Equal("relay", PathRanker.Choose("relay", [P("relay", PathVia.Relay, 30), P("direct", PathVia.Reflexive, null)])!.Id);
        Assert.Equal("direct", PathRanker.Choose("relay", [P("relay", PathVia.Relay, 30), P("direct", PathVia.Reflexive, 45)])!.Id);
        Assert.Equal("direct", PathRanker.Choose("direct", [P("relay", PathVia.Relay, 5), P("direct", PathVia.Reflexive, 45)])!.Id);
    }

    [Theory]
    [InlineData(40, 33, "a")]    // 17.5 % lower: not enough
    [InlineData(40, 31, "b")]    // 22.5 % and 9 ms lower: switch
    [InlineData(10, 7.9, "a")]   // 21 % but only 2.1 ms lower: jitter on a fast path
    [InlineData(10, 6.5, "b")]
    public void Within_a_class_only_a_real_rtt_gain_switches(double currentMs, double otherMs, string expected)
    {
        var paths = new[] { P("a", PathVia.Reflexive, currentMs), P("b", PathVia.Reflexive, otherMs) };

        Assert.Equal(expected, PathRanker.Choose("a", paths)!.Id);
    }

    [Fact]
    public void Rtts_that_wander_around_each_other_never_flap()
    {
        var random = new Random(11);
        string current = "a";
        for (int i = 0; i < 10_000; i++)
        {
            // Two direct paths around 40 ms, each jittering by ±8 % independently (at most 15 % apart).
            var paths = new[] { P("a", PathVia.Reflexive, 40 * (0.92 + 0.16 * random.NextDouble())), P("b", PathVia.Probed, 40 * (0.92 + 0.16 * random.NextDouble())) };
            current = PathRanker.Choose(current, paths)!.Id;
            Assert.Equal("a", current);
        }

        // Smoothed RTTs (as the monitor reports) of equal paths never switch at all.
        current = "a";
        for (int i = 0; i < 10_000; i++)
        {
            double wobble = Math.Sin(i / 10.0) * 3;
            var paths = new[] { P("a", PathVia.Reflexive, 40 + wobble), P("b", PathVia.Reflexive, 40 - wobble) };
            current = PathRanker.Choose(current, paths)!.Id;
            Assert.Equal("a", current);
        }
    }

    [Fact]
    public void A_path_that_got_better_wins_once_and_stays_through_small_swings_back()
    {
        string current = "a";
        var history = new List<string>();
        foreach (var (a, b) in new[] { (40.0, 40.0), (40, 30), (40, 34), (36, 34), (33, 35), (40, 20), (25, 20) })
        {
            current = PathRanker.Choose(current, [P("a", PathVia.Reflexive, a), P("b", PathVia.Reflexive, b)])!.Id;
            history.Add(current);
        }
        Assert.Equal(["a", "b", "b", "b", "b", "b", "b"], history);
    }
}
