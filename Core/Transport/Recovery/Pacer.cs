// Spreads packets over the round trip: a token bucket refilled at a multiple of window / smoothed RTT.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// Rate = gain · window / SRTT with gain 2 in slow start and 1.25 afterwards (as Linux fq pacing). The bucket
/// holds at most <c>burstPackets</c> packets, so a sender waking from a coarse timer may catch up by that much
/// but never floods. Without an RTT sample there is no pacing.
/// </summary>
internal sealed class Pacer(int maxDatagramSize, int burstPackets = 16)
{
    private double _tokens = burstPackets * (double)maxDatagramSize;
    private long _lastRefill;
    private double _bytesPerMicro = double.PositiveInfinity;

    /// <summary>The packet size tokens are counted against; path MTU discovery may raise or lower it.</summary>
    public int MaxDatagramSize { get; set; } = maxDatagramSize;

    public void SetRate(long windowBytes, long smoothedRttMicros, bool slowStart)
    {
        _bytesPerMicro = smoothedRttMicros <= 0
            ? double.PositiveInfinity
            : (slowStart ? 2.0 : 1.25) * windowBytes / smoothedRttMicros;
    }

    private double Capacity => burstPackets * (double)MaxDatagramSize;

    private void Refill(long nowMicros)
    {
        if (nowMicros > _lastRefill)
        {
            _tokens = Math.Min(Capacity, _tokens + (nowMicros - _lastRefill) * _bytesPerMicro);
            _lastRefill = nowMicros;
        }
    }

    public bool CanSend(long nowMicros)
    {
        Refill(nowMicros);
        return _tokens >= MaxDatagramSize || double.IsPositiveInfinity(_bytesPerMicro);
    }

    public void OnSent(int bytes, long nowMicros)
    {
        Refill(nowMicros);
        _tokens = Math.Max(-Capacity, _tokens - bytes);
    }

    /// <summary>When a full packet's worth of tokens will be there (only meaningful after <see cref="CanSend"/> was false).</summary>
    public long NextSendTime(long nowMicros) =>
        double.IsPositiveInfinity(_bytesPerMicro) || _bytesPerMicro <= 0
            ? nowMicros
            : nowMicros + Math.Max(1, (long)Math.Ceiling((MaxDatagramSize - _tokens) / _bytesPerMicro));
}
