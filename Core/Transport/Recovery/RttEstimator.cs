// Smoothed round-trip time and retransmission timeout as in RFC 6298, in microseconds.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// RFC 6298 §2: first sample R → SRTT = R, RTTVAR = R/2; later samples → RTTVAR = 3/4·RTTVAR + 1/4·|SRTT − R|,
/// SRTT = 7/8·SRTT + 1/8·R; RTO = SRTT + max(G, 4·RTTVAR), clamped to [min, max]. Before any sample RTO is
/// the initial value (1 s). Samples come only from packets sent once (each packet number is sent once, so
/// Karn's rule holds by construction). Backoff (doubling per expiry) is applied by the caller through
/// <see cref="BackedOffRto"/>. Deviation: the minimum RTO defaults to 200 ms (as Linux) rather than 1 s.
/// </summary>
internal sealed class RttEstimator(long minRtoMicros, long maxRtoMicros, long initialRtoMicros, long granularityMicros = 1000)
{
    public bool HasSample { get; private set; }
    public long SmoothedMicros { get; private set; }
    public long VarianceMicros { get; private set; }
    public long LatestMicros { get; private set; }
    public long MinMicros { get; private set; } = long.MaxValue;

    public long RtoMicros => !HasSample
        ? initialRtoMicros
        : Math.Clamp(SmoothedMicros + Math.Max(granularityMicros, 4 * VarianceMicros), minRtoMicros, maxRtoMicros);

    public long BackedOffRto(int backoff) => Math.Min(maxRtoMicros, RtoMicros << Math.Min(backoff, 16));

    /// <summary>Feeds one measurement; the peer's reported ack delay is subtracted when that keeps it above the minimum.</summary>
    public void AddSample(long rttMicros, long ackDelayMicros)
    {
        if (rttMicros <= 0) rttMicros = 1;
        MinMicros = Math.Min(MinMicros, rttMicros);
        if (rttMicros - ackDelayMicros >= MinMicros) rttMicros -= ackDelayMicros;
        LatestMicros = rttMicros;
        if (!HasSample)
        {
            HasSample = true;
            SmoothedMicros = rttMicros;
            VarianceMicros = rttMicros / 2;
            return;
        }
        VarianceMicros = (3 * VarianceMicros + Math.Abs(SmoothedMicros - rttMicros)) / 4;
        SmoothedMicros = (7 * SmoothedMicros + rttMicros) / 8;
    }
}
