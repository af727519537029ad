// The replay window against a simple model: a counter is fresh iff never accepted and not too far behind the highest.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Tests.Crypto.Support;
using P2PChat.Core.Transport.Protection;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Protection;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Matches_the_model_for_random_counter_sequences()
    {
        var counters = Gen.Choose(0, 3000).Select(c => (ulong)c);
        Prop.ForAll(Arb.From(Gen.ListOf(counters)), sequence =>
        {
            var window = new ReplayWindow();
            var accepted = new HashSet<ulong>();
            ulong? highest = null;
            foreach (var counter in sequence)
            {
                var modelFresh = !accepted.Contains(counter) && (highest is null || counter + ReplayWindow.Size > highest.Value);
                if (window.IsFresh(counter) != modelFresh) return false;
                if (!modelFresh) continue;
                window.Accept(counter);
                accepted.Add(counter);
                highest = highest is null ? counter : Math.Max(highest.Value, counter);
            }
            return true;
        }).Check(DeterministicProperties.Config());
    }

    [Fact]
    public void Counters_in_order_are_fresh_once()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 5000; c++)
        {
            Assert.True(window.IsFresh(c));
            window.Accept(c);
            Assert.False(window.IsFresh(c));
        }
    }
}
