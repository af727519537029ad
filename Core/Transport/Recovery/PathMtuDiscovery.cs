// Datagram packetization-layer path MTU discovery (DPLPMTUD, RFC 8899) for one connection: a pure, clock-free state machine.
namespace P2PChat.Core.Transport.Recovery;

/// <summary>
/// Searches for the largest packet the path carries, from the base size (1200, confirmed by the handshake's padded
/// Initial) up to a maximum (1472 on IPv4, 1452 on IPv6: a 1500-byte Ethernet MTU minus IP and UDP headers; 16384 to loopback; or the
/// configured maximum). The connection asks <see cref="ProbeSizeDue"/> when it may send; a probe is one Data packet of
/// exactly that size holding PING and PADDING frames, acknowledged like any other packet but never counted as a
/// congestion signal when lost. At most one probe is outstanding.
/// <code>
/// state           event                                   next
/// Searching       probe of size S acknowledged            confirmed = S; done when the next candidate is within 8 bytes
/// Searching       probe of size S lost (3rd time)         largest candidate = S − 1; done as above
/// Searching       done                                    SearchComplete (raise timer armed if below the maximum)
/// SearchComplete  raise timer (default 600 s) expires     Searching again, from the confirmed size up
/// any             RTO with ≥ 3 packets larger than base   BlackHole: confirmed = base at once, then Searching again
///                 lost since the last one was acked       from base (a real black hole fails the probes; a false
///                                                         alarm is undone within one probe round trip)
/// </code>
/// Candidates: the maximum first (most paths carry it, so one round trip usually ends the search), then binary
/// search between the confirmed size and the largest candidate not yet failed. RFC 8899's MAX_PROBES is 3.
/// </summary>
internal sealed class PathMtuDiscovery
{
    public const int MaxProbes = 3;
    /// <summary>The search stops when the confirmed size is within this many bytes of the largest untried size.</summary>
    public const int Granularity = 8;
    /// <summary>Losses of packets larger than the base, since the last such packet was acknowledged, that make an RTO a black hole.</summary>
    public const int BlackHoleLosses = 3;

    private readonly long _raiseIntervalMicros;
    private int _high;
    private int _failures;
    private int _lastProbeSize;
    private int _largeLossesSinceLargeAck;
    private long _nextSearchMicros;

    /// <param name="baseSize">The size every path carries (the transport's <c>MaxPacketSize</c>).</param>
    /// <param name="maxSize">The largest size to try; at or below <paramref name="baseSize"/> disables the search.</param>
    /// <param name="raiseIntervalMicros">How long a completed search waits before trying larger sizes again.</param>
    public PathMtuDiscovery(int baseSize, int maxSize, long raiseIntervalMicros)
    {
        BaseSize = baseSize;
        MaxSize = Math.Max(baseSize, maxSize);
        CurrentSize = baseSize;
        _high = MaxSize;
        _raiseIntervalMicros = raiseIntervalMicros;
        State = MaxSize > baseSize ? PathMtuState.Searching : PathMtuState.Disabled;
    }

    public int BaseSize { get; }
    public int MaxSize { get; private set; }
    /// <summary>The largest confirmed packet size: data packets are built up to this size.</summary>
    public int CurrentSize { get; private set; }
    public PathMtuState State { get; private set; }
    /// <summary>Size of the probe in flight, or 0.</summary>
    public int ProbeInFlight { get; private set; }
    public long ProbesSent { get; private set; }
    public long ProbesLost { get; private set; }
    public long BlackHoles { get; private set; }

    /// <summary>The size of the probe to send now, or 0 when none is due.</summary>
    public int ProbeSizeDue(long nowMicros)
    {
        OnTimer(nowMicros);
        if (State is not (PathMtuState.Searching or PathMtuState.BlackHole) || ProbeInFlight != 0) return 0;
        return Candidate;
    }

    /// <summary>Runs the raise timer if it is due.</summary>
    public void OnTimer(long nowMicros)
    {
        if (State == PathMtuState.SearchComplete && _nextSearchMicros != 0 && nowMicros >= _nextSearchMicros) Raise();
    }

    /// <summary>When the raise timer wants the connection's attention (long.MaxValue when it does not).</summary>
    public long NextSearchMicros => State == PathMtuState.SearchComplete && _nextSearchMicros != 0 ? _nextSearchMicros : long.MaxValue;

    /// <summary>Next size to try: a lost one again until it failed MaxProbes times; the maximum first; then halfway between confirmed and untried.</summary>
    private int Candidate => _failures > 0 ? _lastProbeSize : _high == MaxSize ? MaxSize : (CurrentSize + _high + 1) / 2;

    public void OnProbeSent(int size)
    {
        ProbeInFlight = _lastProbeSize = size;
        ProbesSent++;
    }

    public void OnProbeAcked(int size, long nowMicros)
    {
        if (size != ProbeInFlight) return;
        ProbeInFlight = 0;
        _failures = 0;
        if (size > CurrentSize) CurrentSize = size;
        State = PathMtuState.Searching;
        MaybeComplete(nowMicros);
    }

    public void OnProbeLost(int size, long nowMicros)
    {
        if (size != ProbeInFlight) return;
        ProbeInFlight = 0;
        ProbesLost++;
        if (++_failures < MaxProbes) return;
        _failures = 0;
        _high = Math.Max(CurrentSize, size - 1);
        MaybeComplete(nowMicros);
    }

    /// <summary>Any other packet acknowledged: one larger than the base proves the current size still works.</summary>
    public void OnPacketAcked(int size)
    {
        if (size > BaseSize) _largeLossesSinceLargeAck = 0;
    }

    public void OnPacketLost(int size)
    {
        if (size > BaseSize) _largeLossesSinceLargeAck++;
    }

    /// <summary>An RTO fired (nothing acknowledged for a long time): a black hole if large packets kept vanishing.</summary>
    public void OnRetransmissionTimeout()
    {
        if (CurrentSize <= BaseSize || _largeLossesSinceLargeAck < BlackHoleLosses) return;
        BlackHoles++;
        Restart(MaxSize);
        State = PathMtuState.BlackHole;
    }

    /// <summary>The path changed (e.g. a relay was replaced by a direct path): back to the base size, search up to <paramref name="maxSize"/>.</summary>
    public void Restart(int maxSize)
    {
        MaxSize = Math.Max(BaseSize, maxSize);
        CurrentSize = BaseSize;
        _high = MaxSize;
        _failures = 0;
        _largeLossesSinceLargeAck = 0;
        ProbeInFlight = 0;
        _nextSearchMicros = 0;
        State = MaxSize > BaseSize ? PathMtuState.Searching : PathMtuState.Disabled;
    }

    private void MaybeComplete(long nowMicros)
    {
        if (_high - CurrentSize >= Granularity && CurrentSize < MaxSize) return;
        State = PathMtuState.SearchComplete;
        _nextSearchMicros = CurrentSize < MaxSize ? nowMicros + _raiseIntervalMicros : 0;
    }

    private void Raise()
    {
        _high = MaxSize;
        _failures = 0;
        _nextSearchMicros = 0;
        State = PathMtuState.Searching;
    }
}
