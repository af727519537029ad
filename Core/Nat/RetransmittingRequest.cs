// One UDP request in flight: sent, re-sent on the schedule by a TimeProvider timer, completed by a matching answer.
namespace P2PChat.Core.Nat;

/// <summary>
/// Timer-driven (no task per attempt), so an in-memory network on a manual clock runs it deterministically. The
/// result is <c>default</c> when every attempt went unanswered; cancellation completes it as canceled. Completion
/// runs continuations on the completing thread (a receive callback or the timer).
/// </summary>
internal sealed class RetransmittingRequest<T>
{
    private readonly TaskCompletionSource<T?> _result = new();
    private readonly Action _send;
    private readonly RetransmitSchedule _schedule;
    private readonly ITimer _timer;
    private readonly CancellationTokenRegistration _cancel;
    private int _attempt;
    private int _finished;

    public RetransmittingRequest(TimeProvider time, RetransmitSchedule schedule, Action send, CancellationToken ct)
    {
        _send = send;
        _schedule = schedule;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _cancel = ct.Register(() => { if (Finish()) _result.TrySetCanceled(ct); });
    }

    public Task<T?> Result => _result.Task;

    /// <summary>Sends the first attempt and arms the timer.</summary>
    public void Start()
    {
        if (Volatile.Read(ref _finished) != 0) return;
        _attempt = 1;
        _timer.Change(_schedule.WaitAfter(1), Timeout.InfiniteTimeSpan);
        _send();
    }

    /// <summary>Completes with an answer; false if already completed.</summary>
    public bool TryComplete(T value) => Finish() && _result.TrySetResult(value);

    private void OnTimer()
    {
        if (Volatile.Read(ref _finished) != 0) return;
        if (_attempt >= _schedule.Attempts)
        {
            if (Finish()) _result.TrySetResult(default);
            return;
        }
        _attempt++;
        _timer.Change(_schedule.WaitAfter(_attempt), Timeout.InfiniteTimeSpan);
        _send();
    }

    private bool Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return false;
        _timer.Dispose();
        _cancel.Dispose();
        return true;
    }
}
