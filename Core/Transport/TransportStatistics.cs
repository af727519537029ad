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
    /// <summary>The largest UDP payload the connection sends now (path MTU discovery; the base size until a probe is acknowledged).</summary>
    public int PathMtu { get; internal set; }
    public long PathMtuProbesSent { get; internal set; }
    /// <summary>Probes declared lost: the path (or a local interface) did not carry that size, or ordinary loss hit them.</summary>
    public long PathMtuProbesLost { get; internal set; }
    /// <summary>Times large packets stopped arriving and the size fell back to the base.</summary>
    public long PathMtuBlackHoles { get; internal set; }
    /// <summary>Times <see cref="TransportConnection.PathSilent"/> was raised.</summary>
    public long PathSilences { get; internal set; }
    /// <summary>Rounds whose RTT showed a standing queue on the path (<c>QueueDelayMonitor</c>), each a congestion signal.</summary>
    public long QueueDelaySignals { get; internal set; }

    public override string ToString() =>
        $"sent={PacketsSent} lost={PacketsLost} spurious={SpuriousLosses} tlp={TailLossProbes} rto={RetransmissionTimeouts} " +
        $"srtt_ms={SmoothedRttMicros / 1000.0:F1} min_rtt_ms={MinRttMicros / 1000.0:F1} pmtu={PathMtu} " +
        $"pmtu_probes={PathMtuProbesSent} pmtu_probes_lost={PathMtuProbesLost} pmtu_black_holes={PathMtuBlackHoles} queue_signals={QueueDelaySignals}";
}
