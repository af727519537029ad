// Model-based tests of RangeSet against a plain set of numbers.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class RangeSetTests
{
    [Fact]
    public void Adds_and_removes_match_a_set_model_and_stay_canonical()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<(bool Add, byte Start, byte Length)[]>(), operations =>
        {
            var set = new RangeSet();
            var model = new HashSet<long>();
            foreach (var (add, start, length) in operations)
            {
                long s = start, e = start + length % 20;
                if (add) { set.Add(s, e); for (long v = s; v < e; v++) model.Add(v); }
                else { set.Remove(s, e); for (long v = s; v < e; v++) model.Remove(v); }
            }
            for (long v = 0; v < 300; v++) Assert.Equal(model.Contains(v), set.Contains(v));
            for (int i = 1; i < set.Count; i++) Assert.True(set[i - 1].End < set[i].Start);
            for (int i = 0; i < set.Count; i++) Assert.True(set[i].Length > 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ContainsAll_and_CopyOverlapping_clip_to_the_query()
    {
        var set = new RangeSet();
        set.Add(0, 10);
        set.Add(20, 30);
        Assert.True(set.ContainsAll(2, 10));
        Assert.False(set.ContainsAll(5, 21));
        var into = new List<LongRange>();
        set.CopyOverlapping(5, 25, into);
        Assert.Equal([new LongRange(5, 10), new LongRange(20, 25)], into);
    }
}
