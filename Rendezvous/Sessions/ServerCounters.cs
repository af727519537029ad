// What the server counts about connections for diagnostics: TLS handshakes over time, sign-ins by kind, admission waits, store writes and closes by reason.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Cheap, thread-safe counters (interlocked adds and fixed-size histograms: memory does not grow with traffic). The
/// server logs <see cref="Report"/> when it stops, one <c>counter NAME VALUE</c> line each, so that a benchmark can
/// say where a sign-in storm spent its time (docs/server.md, "Counters"). Durations are wall-clock measurements.
/// </summary>
public sealed class ServerCounters
{
    /// <summary>Width of one bucket of the handshakes-over-time series.</summary>
    public const int SeriesBucketSeconds = 5;
    private const int SeriesBuckets = 120;   // ten minutes

    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly int[] _handshakesBySecond = new int[SeriesBuckets];
    private readonly int[] _signInsBySecond = new int[SeriesBuckets];
    private readonly ConcurrentDictionary<string, int> _closes = new();
    private long _handshakes, _handshakeFailures, _refusedBeforeTls, _passwordSignIns, _ticketSignIns, _retryLater;
    private int _hashQueueMax;

    public ServerCounters(TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>Accept until the TLS handshake is done.</summary>
    public Histogram HandshakeTime { get; } = new();
    /// <summary>Accept until the sign-in burst is out (sessions that signed in).</summary>
    public Histogram SignInTime { get; } = new();
    /// <summary>Time a password hash waited for a slot in the admission queue.</summary>
    public Histogram HashQueueWait { get; } = new();

    public void HandshakeDone(TimeSpan took)
    {
        Interlocked.Increment(ref _handshakes);
        Interlocked.Increment(ref _handshakesBySecond[Bucket()]);
        HandshakeTime.Record(took);
    }

    public void HandshakeFailed() => Interlocked.Increment(ref _handshakeFailures);
    public void RefusedBeforeTls() => Interlocked.Increment(ref _refusedBeforeTls);
    public void RetryLaterSent() => Interlocked.Increment(ref _retryLater);

    public void SignedIn(bool ticket, TimeSpan sinceAccept)
    {
        Interlocked.Increment(ref ticket ? ref _ticketSignIns : ref _passwordSignIns);
        Interlocked.Increment(ref _signInsBySecond[Bucket()]);
        SignInTime.Record(sinceAccept);
    }

    public void HashQueueLength(int inside)
    {
        var max = Volatile.Read(ref _hashQueueMax);
        while (inside > max && Interlocked.CompareExchange(ref _hashQueueMax, inside, max) is var seen && seen != max) max = seen;
    }

    /// <summary>A session ended in <paramref name="state"/> for <paramref name="reason"/> (e.g. "status_33_idle", "client_left").</summary>
    public void Closed(SessionState state, string reason) => _closes.AddOrUpdate($"{state}_{reason}", 1, (_, n) => n + 1);

    private int Bucket() => Math.Min(SeriesBuckets - 1, (int)(_time.GetElapsedTime(_started).TotalSeconds / SeriesBucketSeconds));

    /// <summary>One (name, value) per figure; series as "t0:n0 t1:n1 …" over the buckets that saw anything.</summary>
    public IEnumerable<(string Name, string Value)> Report()
    {
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        yield return ("handshakes", F(Interlocked.Read(ref _handshakes)));
        yield return ("handshake_failures", F(Interlocked.Read(ref _handshakeFailures)));
        yield return ("refused_before_tls", F(Interlocked.Read(ref _refusedBeforeTls)));
        yield return ("handshake_ms_p50", F(HandshakeTime.Percentile(50)));
        yield return ("handshake_ms_p99", F(HandshakeTime.Percentile(99)));
        yield return ("handshakes_per_5s", Series(_handshakesBySecond));
        yield return ("signins_password", F(Interlocked.Read(ref _passwordSignIns)));
        yield return ("signins_ticket", F(Interlocked.Read(ref _ticketSignIns)));
        yield return ("signins_per_5s", Series(_signInsBySecond));
        yield return ("signin_ms_p50", F(SignInTime.Percentile(50)));
        yield return ("signin_ms_p99", F(SignInTime.Percentile(99)));
        yield return ("retry_later_sent", F(Interlocked.Read(ref _retryLater)));
        yield return ("hash_queue_max", F(Volatile.Read(ref _hashQueueMax)));
        yield return ("hash_wait_ms_p50", F(HashQueueWait.Percentile(50)));
        yield return ("hash_wait_ms_p99", F(HashQueueWait.Percentile(99)));
        foreach (var (key, n) in _closes.OrderBy(c => c.Key, StringComparer.Ordinal)) yield return ($"closed_{key}", F(n));
    }

    private static string Series(int[] buckets)
    {
        var text = new StringBuilder();
        for (var i = 0; i < buckets.Length; i++)
        {
            var n = Volatile.Read(ref buckets[i]);
            if (n == 0) continue;
            if (text.Length > 0) text.Append(' ');
            text.Append(CultureInfo.InvariantCulture, $"{i * SeriesBucketSeconds}:{n}");
        }
        return text.Length == 0 ? "-" : text.ToString();
    }

    /// <summary>Durations in buckets 5 % apart (0.1 ms to about 10 minutes, 330 buckets); percentiles are the bucket's upper bound.</summary>
    public sealed class Histogram
    {
        private const double Step = 1.05;
        private const double FirstMs = 0.1;
        private readonly long[] _buckets = new long[330];

        public void Record(TimeSpan took)
        {
            var ms = Math.Max(took.TotalMilliseconds, FirstMs);
            var i = Math.Min(_buckets.Length - 1, (int)Math.Ceiling(Math.Log(ms / FirstMs, Step)));
            Interlocked.Increment(ref _buckets[i]);
        }

        public long Count => _buckets.Sum();

        /// <summary>The upper bound (ms) of the bucket holding the <paramref name="percent"/>th percentile; 0 when empty.</summary>
        public double Percentile(double percent)
        {
            var counts = (long[])_buckets.Clone();
            var total = counts.Sum();
            if (total == 0) return 0;
            var rank = (long)Math.Ceiling(percent / 100 * total);
            long seen = 0;
            for (var i = 0; i < counts.Length; i++)
                if ((seen += counts[i]) >= rank) return FirstMs * Math.Pow(Step, i);
            return FirstMs * Math.Pow(Step, counts.Length - 1);
        }
    }
}
