// Keeps an idle connection alive: sends PING once nothing has been sent for the heartbeat interval.
namespace P2PChat.Peer.Client;

/// <summary>
/// One timer, re-armed to fire exactly <c>interval</c> after the last frame sent. When it fires and nothing has
/// been sent since, it calls <c>sendPing</c> (which sends a PING and so calls <see cref="NoteSent"/>).
/// Runs on the injected <see cref="TimeProvider"/>, so tests move time by hand.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Func<ValueTask> _sendPing;
    private readonly ITimer _timer;
    private long _lastSent;
    private int _disposed;

    public Heartbeat(TimeProvider time, TimeSpan interval, Func<ValueTask> sendPing)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval));
        _time = time;
        _interval = interval;
        _sendPing = sendPing;
        _lastSent = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Tick(), null, interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Something was just sent: the idle time starts again.</summary>
    public void NoteSent() => Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());

    private void Tick()
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastSent));
        if (idle >= _interval)
        {
            NoteSent();
            _ = PingAsync();
            idle = TimeSpan.Zero;
        }
        _timer.Change(_interval - idle, Timeout.InfiniteTimeSpan);
    }

    private async Task PingAsync()
    {
        // A failed PING means the connection is going; the read loop reports that.
        try { await _sendPing().ConfigureAwait(false); }
        catch (Exception) { }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _timer.Dispose();
    }
}
