// A sorted set of disjoint half-open [Start, End) ranges of longs: packet numbers seen, stream bytes received or acked.
namespace P2PChat.Core.Transport;

/// <summary>A half-open interval [Start, End).</summary>
internal readonly record struct LongRange(long Start, long End)
{
    public long Length => End - Start;
}

/// <summary>
/// Ranges are kept sorted, disjoint and non-adjacent (touching ranges are merged). Additions near the top,
/// the common case for in-order traffic, cost O(1); others O(log n + moved elements).
/// </summary>
internal sealed class RangeSet
{
    private readonly List<LongRange> _ranges = [];

    public int Count => _ranges.Count;
    public LongRange this[int index] => _ranges[index];
    public bool IsEmpty => _ranges.Count == 0;
    public LongRange First => _ranges[0];
    public LongRange Last => _ranges[^1];

    public void Clear() => _ranges.Clear();

    public void Add(long start, long end)
    {
        if (end <= start) return;
        int n = _ranges.Count;
        if (n == 0 || start > _ranges[n - 1].End)
        {
            _ranges.Add(new LongRange(start, end));
            return;
        }
        // First range whose End >= start (could merge with the new one).
        int first = LowerBoundByEnd(start);
        int last = first;
        long newStart = start, newEnd = end;
        while (last < n && _ranges[last].Start <= end)
        {
            newStart = Math.Min(newStart, _ranges[last].Start);
            newEnd = Math.Max(newEnd, _ranges[last].End);
            last++;
        }
        if (last == first)
        {
            _ranges.Insert(first, new LongRange(start, end));
            return;
        }
        _ranges[first] = new LongRange(newStart, newEnd);
        if (last - first > 1) _ranges.RemoveRange(first + 1, last - first - 1);
    }

    public void Remove(long start, long end)
    {
        if (end <= start || _ranges.Count == 0) return;
        int i = LowerBoundByEnd(start + 1);
        while (i < _ranges.Count && _ranges[i].Start < end)
        {
            var r = _ranges[i];
            bool keepLeft = r.Start < start, keepRight = r.End > end;
            if (keepLeft && keepRight)
            {
                _ranges[i] = new LongRange(r.Start, start);
                _ranges.Insert(i + 1, new LongRange(end, r.End));
                return;
            }
            if (keepLeft) { _ranges[i] = new LongRange(r.Start, start); i++; }
            else if (keepRight) { _ranges[i] = new LongRange(end, r.End); return; }
            else _ranges.RemoveAt(i);
        }
    }

    public bool Contains(long value)
    {
        int i = LowerBoundByEnd(value + 1);
        return i < _ranges.Count && _ranges[i].Start <= value;
    }

    /// <summary>True when every value of [start, end) is in the set.</summary>
    public bool ContainsAll(long start, long end)
    {
        if (end <= start) return true;
        int i = LowerBoundByEnd(start + 1);
        return i < _ranges.Count && _ranges[i].Start <= start && _ranges[i].End >= end;
    }

    /// <summary>Appends to <paramref name="into"/> the parts of the set inside [start, end), lowest first.</summary>
    public void CopyOverlapping(long start, long end, List<LongRange> into)
    {
        for (int i = LowerBoundByEnd(start + 1); i < _ranges.Count && _ranges[i].Start < end; i++)
            into.Add(new LongRange(Math.Max(start, _ranges[i].Start), Math.Min(end, _ranges[i].End)));
    }

    /// <summary>Drops the lowest ranges until at most <paramref name="maxCount"/> remain.</summary>
    public void TrimToCount(int maxCount)
    {
        if (_ranges.Count > maxCount) _ranges.RemoveRange(0, _ranges.Count - maxCount);
    }

    /// <summary>Index of the first range with End >= value.</summary>
    private int LowerBoundByEnd(long value)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_ranges[mid].End < value) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
