// Sends coalesced roster deltas a short while after the first one, so that a sign-in storm costs each listening client a few writes a second, not one per sign-in.
namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// One timer for the whole server. A queue that gets its first pending roster delta asks <see cref="Schedule"/>; at
/// most <c>delay</c> later every scheduled flush runs (its deltas go into its frame queue as one marker, written as a
/// few batched ROSTER/UPD frames). A frame of any other kind queued meanwhile takes the pending deltas along at once
/// (see <see cref="OutgoingQueue.TryEnqueue"/>), so deltas never go out after a later frame.
/// </summary>
public sealed class DeltaFlusher(TimeProvider time, TimeSpan delay)
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _due = new();
    private readonly object _gate = new();
    private ITimer? _timer;
    private bool _armed;

    public TimeSpan Delay => delay;

    /// <summary>Runs <paramref name="flush"/> within <see cref="Delay"/> (on the timer's thread).</summary>
    public void Schedule(Action flush)
    {
        _due.Enqueue(flush);
        lock (_gate)
        {
            if (_armed) return;
            _armed = true;
            _timer ??= time.CreateTimer(_ => Tick(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Tick()
    {
        lock (_gate) _armed = false;
        // Only what was due when the tick began: a flush scheduled while these run waits for the next tick.
        for (var n = _due.Count; n > 0 && _due.TryDequeue(out var flush); n--) flush();
        if (!_due.IsEmpty)
            lock (_gate)
                if (!_armed)
                {
                    _armed = true;
                    _timer!.Change(delay, Timeout.InfiniteTimeSpan);
                }
    }
}
