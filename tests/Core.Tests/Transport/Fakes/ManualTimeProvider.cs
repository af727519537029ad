// A TimeProvider whose clock only moves when a test advances it; timers fire synchronously on the test's thread.
namespace P2PChat.Core.Tests.Transport;

/// <summary>
/// Time starts at 0 and advances only through <see cref="Advance"/> or <see cref="RunNextTimer"/>, which fire
/// due timers in due-time order (ties in creation order) on the calling thread. Deterministic by construction.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _now;
    private long _created;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public override long GetTimestamp() { lock (_gate) return _now; }
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(GetTimestamp());
    public TimeSpan Elapsed => TimeSpan.FromTicks(GetTimestamp());

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, _created++);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="span"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan span)
    {
        long target;
        lock (_gate) target = _now + span.Ticks;
        while (RunNextTimer(target)) { }
        lock (_gate) _now = Math.Max(_now, target);
    }

    /// <summary>Jumps to the earliest armed timer (if due no later than <paramref name="limitTicks"/>) and fires it.</summary>
    public bool RunNextTimer(long limitTicks = long.MaxValue)
    {
        ManualTimer? next = null;
        lock (_gate)
        {
            foreach (var timer in _timers)
                if (timer.Due != long.MaxValue && (next is null || timer.Due < next.Due || (timer.Due == next.Due && timer.Order < next.Order)))
                    next = timer;
            if (next is null || next.Due > limitTicks) return false;
            _now = Math.Max(_now, next.Due);
            next.Due = next.Period > 0 ? _now + next.Period : long.MaxValue;
        }
        next.Fire();
        return true;
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
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
                Due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : owner._now + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
