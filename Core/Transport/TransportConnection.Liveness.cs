// Liveness of a connection's path: the keepalive interval and the silence alarm, settable per connection at runtime.
namespace P2PChat.Core.Transport;

/// <summary>
/// Keepalive: a PING goes out when nothing was sent for <see cref="KeepAliveInterval"/> (the peer's ACK then refreshes
/// the NAT mapping in the other direction too). Silence: when nothing was received for half of
/// <see cref="PathSilenceTimeout"/> a PING is sent at once (so a live but idle path answers within one round trip), and
/// when nothing was received for the whole timeout <see cref="PathSilent"/> is raised, once per silence; any packet
/// received re-arms both.
/// </summary>
public sealed partial class TransportConnection
{
    private long _keepAliveMicros;
    private long _silenceMicros;
    private bool _silenceProbed;
    private bool _silenceRaised;

    /// <summary>
    /// Raised (on a thread-pool thread, outside the connection's lock) when nothing was received for
    /// <see cref="PathSilenceTimeout"/>: the path is probably dead. The connection itself stays open until
    /// <see cref="TransportOptions.IdleTimeout"/>.
    /// </summary>
    public event EventHandler? PathSilent;

    /// <summary>How long this connection may send nothing before it sends a PING; 1 ms .. 25 s. Takes effect at once.</summary>
    public TimeSpan KeepAliveInterval
    {
        get { lock (Gate) return TimeSpan.FromTicks(_keepAliveMicros * 10); }
        set
        {
            if (value < TimeSpan.FromMilliseconds(1) || value > TimeSpan.FromSeconds(25))
                throw new ArgumentOutOfRangeException(nameof(value), "keepalive interval must be within 1 ms .. 25 s");
            lock (Gate)
            {
                _keepAliveMicros = MonotonicClock.Micros(value);
                _endpoint.ArmTimer(NextDeadline());
            }
        }
    }

    /// <summary>Silence after which <see cref="PathSilent"/> is raised; <see cref="Timeout.InfiniteTimeSpan"/> switches it off.</summary>
    public TimeSpan PathSilenceTimeout
    {
        get { lock (Gate) return _silenceMicros == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromTicks(_silenceMicros * 10); }
        set
        {
            if (value != Timeout.InfiniteTimeSpan && value < TimeSpan.FromMilliseconds(1))
                throw new ArgumentOutOfRangeException(nameof(value), "silence timeout must be at least 1 ms, or infinite");
            lock (Gate)
            {
                _silenceMicros = SilenceMicros(value);
                _endpoint.ArmTimer(NextDeadline());
            }
        }
    }

    /// <summary>Time since the last authenticated packet arrived from the peer (by the endpoint's clock).</summary>
    public TimeSpan SinceLastReceived
    {
        get { lock (Gate) return TimeSpan.FromTicks(Math.Max(0, _endpoint.Clock.NowMicros - _lastReceivedMicros) * 10); }
    }

    private static long SilenceMicros(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : MonotonicClock.Micros(timeout);

    private void InitLiveness(TransportOptions options)
    {
        _keepAliveMicros = MonotonicClock.Micros(options.KeepAliveInterval);
        _silenceMicros = SilenceMicros(options.PathSilenceTimeout);
    }

    /// <summary>A packet arrived: the path is alive.</summary>
    private void OnPathHeard()
    {
        _silenceProbed = false;
        _silenceRaised = false;
    }

    /// <summary>The earliest liveness deadline (keepalive, silence probe, silence alarm) of an established connection.</summary>
    private long LivenessDeadline()
    {
        long deadline = _lastSentMicros + _keepAliveMicros;
        if (_silenceMicros == long.MaxValue || _silenceRaised) return deadline;
        long due = _silenceProbed ? _silenceMicros : _silenceMicros / 2;
        return Math.Min(deadline, _lastReceivedMicros + due);
    }

    private void OnLivenessTimer(long now)
    {
        if (now >= _lastSentMicros + _keepAliveMicros) _pingPending = true;
        if (_silenceMicros == long.MaxValue || _silenceRaised) return;
        long silent = now - _lastReceivedMicros;
        if (!_silenceProbed && silent >= _silenceMicros / 2)
        {
            _silenceProbed = true;
            _pingPending = true;
        }
        if (silent < _silenceMicros) return;
        _silenceRaised = true;
        Statistics.PathSilences++;
        if (PathSilent is not null) ThreadPool.UnsafeQueueUserWorkItem(static c => c.PathSilent?.Invoke(c, EventArgs.Empty), this, preferLocal: false);
    }
}
