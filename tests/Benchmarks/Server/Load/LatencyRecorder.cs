// Collects one-way message latencies (sender and receiver share this process's monotonic clock) and reports percentiles.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace P2PChat.Benchmarks.Server.Load;

internal sealed class LatencyRecorder
{
    private readonly ConcurrentBag<double> _ms = [];
    private long _received;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Records a message sent at Stopwatch timestamp <paramref name="sentAt"/>.</summary>
    public void Record(long sentAt)
    {
        Interlocked.Increment(ref _received);
        _ms.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
    }

    public double Percentile(double p)
    {
        var sorted = _ms.ToArray();
        if (sorted.Length == 0) return double.NaN;
        Array.Sort(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
