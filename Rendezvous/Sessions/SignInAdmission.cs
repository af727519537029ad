// The bounded queue that admits expensive sign-in work (password hashes): a few at a time, a few more waiting, the rest told when to retry.
using System.Diagnostics;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>What <see cref="SignInAdmission.RunAsync{T}"/> did: ran the work (<see cref="Result"/>), or refused it for now.</summary>
public readonly record struct Admitted<T>(bool Ran, T Result, TimeSpan RetryAfter);

/// <summary>
/// At most <c>concurrency</c> pieces of work run at once (on the thread pool, never on a session's read loop); at most
/// <c>queueLimit</c> more wait for a slot. Work that finds the queue full is not run: the caller tells its client to
/// retry after <see cref="Admitted{T}.RetryAfter"/> (STATUS 36), an estimate of how long the queue ahead takes to drain
/// (queue length / concurrency × the average run time, measured), ±20 % jitter so that refused clients do not come back
/// together, at least 250 ms. Run times are wall-clock measurements of CPU work, not protocol timing.
/// </summary>
public sealed class SignInAdmission
{
    private static readonly TimeSpan MinimumRetry = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;
    private readonly int _capacity;
    private int _inside;
    private long _averageTicks = TimeSpan.FromMilliseconds(150).Ticks;

    private readonly ServerCounters? _counters;

    public SignInAdmission(int concurrency, int queueLimit, ServerCounters? counters = null)
    {
        _counters = counters;
        _concurrency = concurrency > 0 ? concurrency : Environment.ProcessorCount;
        _capacity = _concurrency + Math.Max(0, queueLimit);
        _slots = new SemaphoreSlim(_concurrency, _concurrency);
    }

    /// <summary>Running plus waiting now.</summary>
    public int Inside => Volatile.Read(ref _inside);

    public async Task<Admitted<T>> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        var inside = Interlocked.Increment(ref _inside);
        if (inside > _capacity)
        {
            Interlocked.Decrement(ref _inside);
            return new(false, default!, RetryAfter(inside));
        }
        _counters?.HashQueueLength(inside);
        try
        {
            var queued = Stopwatch.GetTimestamp();
            await _slots.WaitAsync(ct).ConfigureAwait(false);
            _counters?.HashQueueWait.Record(Stopwatch.GetElapsedTime(queued));
            try
            {
                var started = Stopwatch.GetTimestamp();
                var result = await Task.Run(work, ct).ConfigureAwait(false);
                var took = Stopwatch.GetElapsedTime(started).Ticks;
                var average = Volatile.Read(ref _averageTicks);
                Volatile.Write(ref _averageTicks, average + (took - average) / 8);
                return new(true, result, TimeSpan.Zero);
            }
            finally { _slots.Release(); }
        }
        finally { Interlocked.Decrement(ref _inside); }
    }

    private TimeSpan RetryAfter(int inside)
    {
        var drain = TimeSpan.FromTicks(Volatile.Read(ref _averageTicks) * inside / _concurrency);
        var jittered = drain * (0.8 + 0.4 * Random.Shared.NextDouble());
        return jittered < MinimumRetry ? MinimumRetry : jittered;
    }
}
