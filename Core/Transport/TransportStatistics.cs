// Counters of a connection's sending and loss recovery, for diagnostics and benchmark reports.
namespace P2PChat.Core.Transport;

/// <summary>Updated under the connection's lock; reading them elsewhere gives a momentary, possibly torn, view.</summary>
public sealed class TransportStatistics
{
    public long PacketsSent { get; internal set; }
    public long PacketsLost { get; internal set; }
    public long SpuriousLosses { get; internal set; }
    public long TailLossProbes { get; internal set; }
    public long RetransmissionTimeouts { get; internal set; }
    public long SmoothedRttMicros { get; internal set; }
    public long MinRttMicros { get; internal set; }

    public override string ToString() =>
        $"sent={PacketsSent} lost={PacketsLost} spurious={SpuriousLosses} tlp={TailLossProbes} rto={RetransmissionTimeouts} " +
        $"srtt_ms={SmoothedRttMicros / 1000.0:F1} min_rtt_ms={MinRttMicros / 1000.0:F1}";
}
