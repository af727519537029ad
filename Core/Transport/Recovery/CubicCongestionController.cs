// CUBIC congestion control (RFC 9438) with the Reno-friendly region and fast convergence; the default controller.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// States: slow start (window += acked bytes, no HyStart) → on the first loss, congestion avoidance along
/// W(t) = C·(t − K)³ + Wmax (segments, t in seconds since the epoch began, C = 0.4, β = 0.7,
/// K = ∛(Wmax·(1 − β)/C)), never below the Reno-friendly estimate W_est (grows by α = 3(1−β)/(1+β) segments per
/// window acked). A loss of a packet sent after the current recovery start multiplies the window by β and begins
/// a new epoch; fast convergence lowers Wmax when the window had not regained the previous Wmax. An RTO collapses
/// the window to 2·mss. A standing queue (<see cref="OnQueueDelay"/>) ends slow start without a reduction, and in
/// congestion avoidance counts as a loss event.
/// </summary>
internal sealed class CubicCongestionController(int maxDatagramSize, int initialWindowPackets = 10) : ICongestionController
{
    private const double C = 0.4;
    private const double Beta = 0.7;
    private const double Alpha = 3 * (1 - Beta) / (1 + Beta);

    private double _window = (double)initialWindowPackets * maxDatagramSize;
    private double _ssthresh = double.MaxValue;
    private double _wMax;
    private double _k;
    private double _wEst;
    private long _epochStart = -1;
    private long _recoveryStart = long.MinValue;
    private (double Window, double Ssthresh, double WMax)? _beforeReduction;

    private int _mss = maxDatagramSize;

    private double Mss => _mss;
    private double MinWindow => 2.0 * _mss;

    /// <summary>Path MTU discovery confirmed a new packet size: window arithmetic in segments follows it.</summary>
    public void SetMaxDatagramSize(int size) => _mss = size;
    public long WindowBytes => (long)_window;
    public bool InSlowStart => _window < _ssthresh;

    public void OnAcked(long bytes, long timeSentMicros, long nowMicros, long smoothedRttMicros, bool windowLimited)
    {
        if (timeSentMicros <= _recoveryStart || !windowLimited) return;
        if (InSlowStart) { _window += bytes; return; }
        if (_epochStart < 0)
        {
            _epochStart = nowMicros;
            _wEst = _window;
            _k = _window < _wMax ? Math.Cbrt((_wMax - _window) / Mss / C) : 0;
            if (_window > _wMax) _wMax = _window;
        }
        double t = (nowMicros - _epochStart) / 1e6 + smoothedRttMicros / 1e6;
        double target = _wMax + C * Math.Pow(t - _k, 3) * Mss;
        target = Math.Clamp(target, _window, 1.5 * _window);
        _wEst += Alpha * Mss * bytes / _window;
        double cubicGrowth = target > _window ? (target - _window) * bytes / _window : 0.01 * Mss * bytes / _window;
        _window = Math.Max(_window + cubicGrowth, _wEst);
    }

    public void OnLost(long bytes, long timeSentMicros, long nowMicros)
    {
        if (timeSentMicros <= _recoveryStart) return;
        _recoveryStart = nowMicros;
        _epochStart = -1;
        _beforeReduction = (_window, _ssthresh, _wMax);
        _wMax = _window < _wMax ? _window * (1 + Beta) / 2 : _window;
        _window = Math.Max(_window * Beta, MinWindow);
        _ssthresh = _window;
    }

    public void OnQueueDelay(long nowMicros, long smoothedRttMicros)
    {
        if (InSlowStart)
        {
            _ssthresh = _window;
            return;
        }
        if (!QueueDelayMonitor.CutsNow(ref _recoveryStart, nowMicros, smoothedRttMicros)) return;
        _epochStart = -1;
        _beforeReduction = null;   // not a loss that could turn out spurious
        _wMax = _window < _wMax ? _window * (1 + Beta) / 2 : _window;
        _window = Math.Max(_window * Beta, MinWindow);
        _ssthresh = _window;
    }

    public void OnSpuriousLoss()
    {
        if (_beforeReduction is not { } before) return;
        (_window, _ssthresh, _wMax) = (Math.Max(_window, before.Window), before.Ssthresh, before.WMax);
        _epochStart = -1;
        _beforeReduction = null;
    }

    public void OnRetransmissionTimeout(long nowMicros)
    {
        _beforeReduction = null;
        _recoveryStart = nowMicros;
        _epochStart = -1;
        _wMax = _window;
        _ssthresh = Math.Max(_window * Beta, MinWindow);
        _window = MinWindow;
    }
}
