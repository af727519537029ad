// The load generator's side of the reconnect-storm breakdown: per-phase times, failures by phase and STATUS, sign-ins over time.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace P2PChat.Benchmarks.Server.Load;

internal sealed class StormBreakdown
{
    private const int BucketSeconds = 5;
    private readonly ConcurrentDictionary<int, int> _signInsByBucket = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly ConcurrentBag<double> _tcpMs = [], _tlsMs = [], _attemptMs = [];
    private readonly ConcurrentDictionary<int, int> _attempts = new();
    private long _maxPending;

    public void SignedIn(TimeSpan sinceRestart, TimeSpan attemptTook, LoadClient c, int attempt)
    {
        _signInsByBucket.AddOrUpdate((int)sinceRestart.TotalSeconds / BucketSeconds, 1, (_, v) => v + 1);
        _attempts.AddOrUpdate(attempt, 1, (_, v) => v + 1);
        _tcpMs.Add(c.TcpTime.TotalMilliseconds);
        _tlsMs.Add(c.TlsTime.TotalMilliseconds);
        _attemptMs.Add(attemptTook.TotalMilliseconds);
    }

    /// <summary>An attempt that did not end signed in (or a session closed afterwards): by phase and closing STATUS.</summary>
    public void Failed(LoadClient c, string? error)
    {
        var status = c.ClosedWith is { } code ? code == 33 ? c.ClosedValue == 0 ? "status33_idle" : "status33_deadline" : $"status{code}" : "nostatus";
        _failures.AddOrUpdate($"{c.Phase}_{status}_{error ?? "refused"}", 1, (_, v) => v + 1);
    }

    /// <summary>The highest thread-pool backlog of this process, sampled every 100 ms: a load generator that cannot keep up shows here.</summary>
    public async Task SampleThreadPoolAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var pending = ThreadPool.PendingWorkItemCount;
                if (pending > _maxPending) _maxPending = pending;
                await Task.Delay(100, ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Report(Action<string, double> say, string label)
    {
        say("storm_tcp_ms_p50", Percentile(_tcpMs, 50));
        say("storm_tcp_ms_p99", Percentile(_tcpMs, 99));
        say("storm_tls_ms_p50", Percentile(_tlsMs, 50));
        say("storm_tls_ms_p99", Percentile(_tlsMs, 99));
        say("storm_attempt_ms_p50", Percentile(_attemptMs, 50));
        say("storm_attempt_ms_p99", Percentile(_attemptMs, 99));
        say("storm_loadgen_threadpool_pending_max", _maxPending);
        foreach (var (attempt, count) in _attempts.OrderBy(a => a.Key)) say($"storm_back_on_attempt_{attempt}", count);
        foreach (var (key, count) in _failures.OrderBy(f => f.Key, StringComparer.Ordinal)) say($"storm_failed_{key}", count);
        var series = new StringBuilder();
        foreach (var (bucket, count) in _signInsByBucket.OrderBy(b => b.Key))
            series.Append(CultureInfo.InvariantCulture, $"{bucket * BucketSeconds}:{count} ");
        Console.WriteLine($"{label} storm_signins_per_5s {series.ToString().TrimEnd()}");
    }

    /// <summary>TcpExt ListenOverflows and ListenDrops from /proc/net/netstat (machine-wide: SYNs or handshakes dropped
    /// because an accept queue was full).</summary>
    public static (long Overflows, long Drops) ListenDrops()
    {
        var lines = File.ReadAllLines("/proc/net/netstat").Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToArray();
        if (lines.Length < 2) return (0, 0);
        var names = lines[0].Split(' ');
        var values = lines[1].Split(' ');
        long Get(string name) => Array.IndexOf(names, name) is var i and >= 0 ? long.Parse(values[i], CultureInfo.InvariantCulture) : 0;
        return (Get("ListenOverflows"), Get("ListenDrops"));
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Max(0, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
    }
}
