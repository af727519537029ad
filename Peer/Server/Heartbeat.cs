// Keeps a connection alive and notices a dead server: PING after an idle interval, give up after a long silence.
namespace P2PChat.Peer.Server;

/// <summary>
/// One timer, re-armed for whichever comes first: <c>interval</c> after the last frame sent, or <c>silence</c>
/// (3 × interval) after the last frame received. When it fires:
/// <list type="bullet">
/// <item>nothing received for <c>silence</c> → <c>onSilence</c> is called once and the heartbeat stops
/// (the server answers every PING, so a silent server is a dead link);</item>
/// <item>nothing sent for <c>interval</c> → <c>sendPing</c> (which sends a PING and so calls <see cref="NoteSent"/>).</item>
/// </list>
/// Runs on the injected <see cref="TimeProvider"/>, so tests move time by hand.
/// </summary>
public sealed class Heartbeat : IDisposable
{
    public const int SilenceIntervals = 3;

    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _silence;
    private readonly Func<ValueTask> _sendPing;
    private readonly Action _onSilence;
    private readonly ITimer _timer;
    private long _lastSent;
    private long _lastReceived;
    private int _stopped;

    public Heartbeat(TimeProvider time, TimeSpan interval, Func<ValueTask> sendPing, Action? onSilence = null)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval));
        _time = time;
        _interval = interval;
        _silence = interval * SilenceIntervals;
        _sendPing = sendPing;
        _onSilence = onSilence ?? (() => { });
        _lastSent = _lastReceived = time.GetTimestamp();
        _timer = time.CreateTimer(_ => Tick(), null, interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How long without hearing from the server before giving up.</summary>
    public TimeSpan Silence => _silence;

    /// <summary>Something was just sent: the idle time starts again.</summary>
    public void NoteSent() => Interlocked.Exchange(ref _lastSent, _time.GetTimestamp());

    /// <summary>Something was just received: the server is alive.</summary>
    public void NoteReceived() => Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());

    private void Tick()
    {
        if (Volatile.Read(ref _stopped) != 0) return;
        var heard = _time.GetElapsedTime(Interlocked.Read(ref _lastReceived));
        if (heard >= _silence)
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0) _onSilence();
            return;
        }
        var idle = _time.GetElapsedTime(Interlocked.Read(ref _lastSent));
        if (idle >= _interval)
        {
            NoteSent();
            _ = PingAsync();
            idle = TimeSpan.Zero;
        }
        _timer.Change(Min(_interval - idle, _silence - heard), Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task PingAsync()
    {
        // A failed PING means the connection is going; the read loop reports that.
        try { await _sendPing().ConfigureAwait(false); }
        catch (Exception) { }
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _stopped, 1);
        _timer.Dispose();
    }
}
