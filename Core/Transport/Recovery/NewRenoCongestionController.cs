// NewReno congestion control (RFC 9002 §7 / RFC 6582 style): slow start, congestion avoidance, halving per loss event.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// States: slow start (window += acked bytes) until the first loss or ssthresh; congestion avoidance
/// (window += mss·acked/window); a loss of a packet sent after the recovery start halves the window and starts a
/// new recovery period; an RTO collapses the window to the minimum (2·mss).
/// </summary>
internal sealed class NewRenoCongestionController(int maxDatagramSize, int initialWindowPackets = 10) : ICongestionController
{
    private long _window = (long)initialWindowPackets * maxDatagramSize;
    private long _ssthresh = long.MaxValue;
    private long _recoveryStart = long.MinValue;
    private long _avoidanceCredit;
    private (long Window, long Ssthresh)? _beforeReduction;

    private int _mss = maxDatagramSize;

    private long MinWindow => 2L * _mss;

    /// <summary>Path MTU discovery confirmed a new packet size: window arithmetic in segments follows it.</summary>
    public void SetMaxDatagramSize(int size) => _mss = size;
    public long WindowBytes => _window;
    public bool InSlowStart => _window < _ssthresh;

    public void OnAcked(long bytes, long timeSentMicros, long nowMicros, long smoothedRttMicros, bool windowLimited)
    {
        if (timeSentMicros <= _recoveryStart || !windowLimited) return;
        if (InSlowStart) { _window += bytes; return; }
        _avoidanceCredit += bytes;
        if (_avoidanceCredit >= _window)
        {
            _avoidanceCredit -= _window;
            _window += _mss;
        }
    }

    public void OnLost(long bytes, long timeSentMicros, long nowMicros)
    {
        if (timeSentMicros <= _recoveryStart) return;
        _recoveryStart = nowMicros;
        _beforeReduction = (_window, _ssthresh);
        _window = Math.Max(_window / 2, MinWindow);
        _ssthresh = _window;
        _avoidanceCredit = 0;
    }

    public void OnQueueDelay(long nowMicros, long smoothedRttMicros)
    {
        if (InSlowStart)
        {
            _ssthresh = _window;
            return;
        }
        if (!QueueDelayMonitor.CutsNow(ref _recoveryStart, nowMicros, smoothedRttMicros)) return;
        _beforeReduction = null;
        _window = Math.Max(_window / 2, MinWindow);
        _ssthresh = _window;
        _avoidanceCredit = 0;
    }

    public void OnSpuriousLoss()
    {
        if (_beforeReduction is not { } before) return;
        (_window, _ssthresh) = (Math.Max(_window, before.Window), before.Ssthresh);
        _beforeReduction = null;
    }

    public void OnRetransmissionTimeout(long nowMicros)
    {
        _beforeReduction = null;
        _ssthresh = Math.Max(_window / 2, MinWindow);
        _window = MinWindow;
        _recoveryStart = nowMicros;
    }
}
