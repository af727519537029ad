// The congestion-control contract the connection drives: a window in bytes, fed by sends, acks and losses.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// All sizes in bytes and times in microseconds. The connection counts bytes in flight itself and asks
/// <see cref="WindowBytes"/>; "time sent" arguments let the controller ignore acks and losses of packets
/// sent before the current recovery period began (one reduction per loss event).
/// </summary>
internal interface ICongestionController
{
    long WindowBytes { get; }
    bool InSlowStart { get; }
    void OnAcked(long bytes, long timeSentMicros, long nowMicros, long smoothedRttMicros, bool windowLimited);
    void OnLost(long bytes, long timeSentMicros, long nowMicros);
    void OnRetransmissionTimeout(long nowMicros);

    /// <summary>The segment size used in window arithmetic changed (path MTU discovery).</summary>
    void SetMaxDatagramSize(int size);

    /// <summary>
    /// A standing queue on the path (<see cref="QueueDelayMonitor"/>): in slow start, leave it without a reduction
    /// (HyStart++); in congestion avoidance, reduce as for a loss, unless a reduction happened within the last
    /// <paramref name="smoothedRttMicros"/>.
    /// </summary>
    void OnQueueDelay(long nowMicros, long smoothedRttMicros);

    /// <summary>A packet declared lost was acknowledged after all: undo the last reduction (once per recovery period).</summary>
    void OnSpuriousLoss();
}
