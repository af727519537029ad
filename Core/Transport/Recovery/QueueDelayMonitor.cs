// Tells a standing queue on the path from RTT samples: the minimum RTT of a round well above the path's base RTT.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// <para>A loss-based controller (CUBIC) grows its window until a buffer overflows. Where the buffer is large (the
/// receiving socket's 8 MB on loopback, a router's), every packet, a PM's too, then waits behind it: 150–200 ms at
/// 25 MB/s between two real peers (docs/benchmarks.md). This monitor gives the controller a delay signal, in the
/// manner of HyStart++ (RFC 9406) in slow start, extended to congestion avoidance as LEDBAT (RFC 6817) does.</para>
/// <para><b>Rounds.</b> A round lasts one smoothed RTT (at least <see cref="MinRound"/>); its RTT is the minimum of its
/// samples, which filters out one-off delays (a descheduled thread), and it counts only with at least
/// <see cref="MinSamples"/> samples. <b>Base RTT</b>: the least round RTT over the last two windows of
/// <see cref="BaseWindow"/> (so a path that became slower is learnt within 2 × 10 s). <b>Signal</b>: a round whose RTT
/// exceeds the base by more than the threshold, max(<see cref="MinThreshold"/>, base / 4), reports a standing queue
/// (<see cref="OnSample"/> returns true, at most once per round). After <see cref="MaxConsecutiveSignals"/> rounds in a
/// row that signalled, the delay is taken as the path's, not ours (a path change our reductions cannot drain): the
/// base is reset to the last round's RTT.</para>
/// All times in microseconds.
/// </summary>
internal sealed class QueueDelayMonitor
{
    /// <summary>
    /// The congestion controllers' rule for a signal in avoidance: at most one cut per smoothed RTT, a loss's cut
    /// included. True when the caller cuts now; <paramref name="lastCut"/> (its recovery start) is then set to now.
    /// </summary>
    public static bool CutsNow(ref long lastCut, long nowMicros, long smoothedRttMicros)
    {
        if (lastCut != long.MinValue && nowMicros - lastCut < smoothedRttMicros) return false;
        lastCut = nowMicros;
        return true;
    }

    public const long MinRound = 1_000;
    public const int MinSamples = 8;
    public const long BaseWindow = 10_000_000;
    public const long MinThreshold = 10_000;
    public const int MaxConsecutiveSignals = 3;

    private long _roundStart = -1;
    private long _roundMin = long.MaxValue;
    private int _roundSamples;
    private long _baseCurrent = long.MaxValue, _basePrevious = long.MaxValue;
    private long _baseWindowStart = -1;
    private int _consecutiveSignals;

    /// <summary>The path's base RTT as learnt so far (long.MaxValue before the first full round).</summary>
    public long BaseRtt => Math.Min(_baseCurrent, _basePrevious);

    /// <summary>Queueing delay allowed over the base before a round signals.</summary>
    public long Threshold => BaseRtt == long.MaxValue ? MinThreshold : Math.Max(MinThreshold, BaseRtt / 4);

    /// <summary>Feeds one RTT sample; true when the round it closed showed a standing queue.</summary>
    public bool OnSample(long rttMicros, long smoothedRttMicros, long nowMicros)
    {
        if (_roundStart < 0) _roundStart = nowMicros;
        _roundMin = Math.Min(_roundMin, rttMicros);
        _roundSamples++;
        if (nowMicros - _roundStart < Math.Max(MinRound, smoothedRttMicros)) return false;
        long roundRtt = _roundMin;
        int samples = _roundSamples;
        _roundStart = nowMicros;
        _roundMin = long.MaxValue;
        _roundSamples = 0;
        if (samples < MinSamples) return false;

        bool queued = BaseRtt != long.MaxValue && roundRtt > BaseRtt + Threshold;
        if (queued && ++_consecutiveSignals > MaxConsecutiveSignals)
        {
            _baseCurrent = roundRtt;   // not a queue we can drain: this is the path now
            _basePrevious = long.MaxValue;
            _baseWindowStart = nowMicros;
            _consecutiveSignals = 0;
            return false;
        }
        if (!queued) _consecutiveSignals = 0;
        UpdateBase(roundRtt, nowMicros);
        return queued;
    }

    private void UpdateBase(long roundRtt, long now)
    {
        if (_baseWindowStart < 0) _baseWindowStart = now;
        if (now - _baseWindowStart >= BaseWindow)
        {
            _basePrevious = _baseCurrent;
            _baseCurrent = long.MaxValue;
            _baseWindowStart = now;
        }
        _baseCurrent = Math.Min(_baseCurrent, roundRtt);
    }
}
