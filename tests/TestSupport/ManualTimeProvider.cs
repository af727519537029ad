// The one manual clock of the test suites: time moves only when a test says so; timers fire as it passes them.
namespace P2PChat.TestSupport;

/// <summary>
/// Deterministic time for tests. <see cref="Advance"/> moves the clock and fires every timer that falls due on the
/// way, in due-time order (ties in creation order), one at a time on the calling thread (a timer may re-arm itself
/// or others); <see cref="RunNextTimer"/> jumps straight to the next timer, which is how a simulation runs as fast as
/// it can. Timestamps count from the start (<see cref="Elapsed"/>), the local time zone is UTC, and with
/// <see cref="RealTimers"/> only the clock is manual while timers run on real time (for UI code whose timers pace
/// drawing but whose clock stamps what it shows).
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _elapsedTicks;
    private long _created;

    public ManualTimeProvider() : this(DefaultStart) { }

    /// <summary>Timers run on real time instead of the manual clock.</summary>
    public bool RealTimers { get; init; }

    /// <summary>How far the clock has moved since the start.</summary>
    public TimeSpan Elapsed { get { lock (_gate) return TimeSpan.FromTicks(_elapsedTicks); } }

    public override DateTimeOffset GetUtcNow() => start + Elapsed;
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() { lock (_gate) return _elapsedTicks; }

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target;
        lock (_gate) target = _elapsedTicks + by.Ticks;
        while (RunNextTimer(target)) { }
        lock (_gate) _elapsedTicks = Math.Max(_elapsedTicks, target);
    }

    /// <summary>
    /// Jumps to the earliest armed timer, if it is due no later than <paramref name="limitTicks"/> (a timestamp of
    /// this clock), and fires it. False when no timer is due by then.
    /// </summary>
    public bool RunNextTimer(long limitTicks = long.MaxValue)
    {
        ManualTimer? next = null;
        lock (_gate)
        {
            foreach (var timer in _timers)
                if (timer.Due != long.MaxValue && (next is null || timer.Due < next.Due || (timer.Due == next.Due && timer.Order < next.Order)))
                    next = timer;
            if (next is null || next.Due > limitTicks) return false;
            _elapsedTicks = Math.Max(_elapsedTicks, next.Due);
            next.Due = next.Period > 0 ? _elapsedTicks + next.Period : long.MaxValue;
        }
        next.Fire();
        return true;
    }

    /// <summary>
    /// Drives a simulation: advances the clock by <paramref name="step"/> (default 5 ms) until <paramref name="task"/>
    /// completes, failing the test if more than <paramref name="limit"/> of simulated time passes. Deliveries and
    /// protocol timers run inside <see cref="Advance"/> on this thread, so no real waiting is involved.
    /// </summary>
    public T RunUntilDone<T>(Task<T> task, TimeSpan limit, TimeSpan? step = null)
    {
        var begin = GetUtcNow();
        while (!task.IsCompleted)
        {
            if (GetUtcNow() - begin > limit) Xunit.Assert.Fail($"still running after {limit} of simulated time");
            Advance(step ?? TimeSpan.FromMilliseconds(5));
        }
        return task.GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="RunUntilDone{T}"/>
    public void RunUntilDone(Task task, TimeSpan limit, TimeSpan? step = null) =>
        RunUntilDone(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskContinuationOptions.ExecuteSynchronously), limit, step);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (RealTimers) return System.CreateTimer(callback, state, dueTime, period);
        ManualTimer timer;
        lock (_gate)
        {
            timer = new ManualTimer(this, callback, state, _created++);
            _timers.Add(timer);
        }
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state, long order) : ITimer
    {
        public long Due { get; set; } = long.MaxValue;
        public long Period { get; private set; }
        public long Order { get; } = order;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : owner._elapsedTicks + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() { lock (owner._gate) owner._timers.Remove(this); }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
