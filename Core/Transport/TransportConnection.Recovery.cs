// Loss recovery of a connection: processing ACKs, RTT samples, fast retransmit, tail-loss probes, RTO, and timers.
using P2PChat.Core.Transport.Recovery;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

/// <summary>
/// Loss detection (after each ACK): an outstanding packet older than the largest acknowledged one is lost when
/// 3 or more later packets were acknowledged (fast retransmit) or when it was sent more than 9/8·max(SRTT, latest RTT)
/// before now; otherwise a loss timer fires at that moment. Tail-loss probe: when nothing is acknowledged for
/// PTO = SRTT + max(4·RTTVAR, 1 ms) + max ack delay after the last ack-eliciting send, one probe packet goes out
/// (new data, else the oldest outstanding data, else PING) regardless of the window; a second probe after 2·PTO.
/// RTO (RFC 6298, with backoff): if the probes are not acknowledged either, after RTO·2^n every outstanding packet
/// is declared lost, the window collapses and n grows; any acknowledgement of new data resets probes and n.
/// </summary>
public sealed partial class TransportConnection
{
    private const int InitialPacketThreshold = 3;
    private const int MaxPacketThreshold = 64;
    /// <summary>Raised when a packet declared lost is acknowledged after all (reordering), as Linux adapts its reordering degree.</summary>
    private int _packetThreshold = InitialPacketThreshold;
    /// <summary>Packet numbers recently declared lost, to recognise spurious loss declarations.</summary>
    private readonly RangeSet _declaredLost = new();
    private const int MaxTailLossProbes = 2;

    private readonly SentPacketLog _sent = new();
    /// <summary>Packet numbers of outstanding ack-eliciting packets, so ACK and loss processing never walk settled ones.</summary>
    private readonly RangeSet _outstanding = new();
    private readonly List<LongRange> _scratchRanges = [];
    private readonly RttEstimator _rtt;
    private readonly QueueDelayMonitor _queueDelay = new();
    private readonly ICongestionController _cc;
    private readonly Pacer _pacer;
    private long _bytesInFlight;
    private int _ackElicitingOutstanding;
    private long _largestAcked = -1;
    private long _lossTimeMicros;
    private long _lastAckElicitingSentMicros;
    private long _lastSentMicros;
    private int _tailLossProbes;
    private int _rtoBackoff;
    private bool _pingPending;

    /// <summary>Loss-recovery counters since the connection began (diagnostics and benchmarks).</summary>
    public TransportStatistics Statistics { get; } = new();

    /// <summary>Bytes in flight and window, for tests and diagnostics.</summary>
    internal (long InFlight, long Window, long SmoothedRttMicros) RecoverySnapshot => (_bytesInFlight, _cc.WindowBytes, _rtt.SmoothedMicros);

    private void OnAckFrame(in PacketFrame frame, long now)
    {
        long largest = frame.Value;
        if (largest >= _sent.NextPacketNumber)
        {
            Violation(TransportError.ProtocolViolation, "acknowledgement of a packet never sent");
            return;
        }
        SentPacket? largestNewlyAcked = null;
        bool newlyAcked = false;
        var ranges = frame.AckRanges;
        while (ranges.TryNext(out long smallest, out long highest))
        {
            _scratchRanges.Clear();
            _outstanding.CopyOverlapping(smallest, highest + 1, _scratchRanges);
            for (int i = _scratchRanges.Count - 1; i >= 0; i--)
            {
                for (long n = _scratchRanges[i].End - 1; n >= _scratchRanges[i].Start; n--)
                {
                    var packet = _sent.Find(n)!;
                    packet.State = SentPacketState.Acked;
                    newlyAcked = true;
                    largestNewlyAcked ??= packet;
                    OnPacketAcked(packet, now);
                }
            }
            _outstanding.Remove(smallest, highest + 1);
            DetectSpuriousLosses(smallest, highest);
        }
        if (!newlyAcked) return;
        if (largest > _largestAcked) _largestAcked = largest;
        if (largestNewlyAcked!.PacketNumber == largest && largestNewlyAcked.AckEliciting)
        {
            long sample = now - largestNewlyAcked.TimeSentMicros;
            long ackDelay = Math.Min(frame.AckDelayMicros, MonotonicClock.Micros(_options.MaxAckDelay));
            _rtt.AddSample(sample, ackDelay);
            Statistics.SmoothedRttMicros = _rtt.SmoothedMicros;
            Statistics.MinRttMicros = _rtt.MinMicros;
            long adjusted = sample - ackDelay >= _rtt.MinMicros ? sample - ackDelay : sample;
            if (_options.QueueDelaySignal && _queueDelay.OnSample(adjusted, _rtt.SmoothedMicros, now))
            {
                Statistics.QueueDelaySignals++;
                _cc.OnQueueDelay(now, _rtt.SmoothedMicros);
            }
        }
        _tailLossProbes = 0;
        _rtoBackoff = 0;
        DetectLosses(now);
        _sent.Compact();
        _pacer.SetRate(_cc.WindowBytes, _rtt.SmoothedMicros, _cc.InSlowStart);
        OnCloseProgress(now);
    }

    /// <summary>An acknowledged packet that was declared lost means reordering, not loss: tolerate more of it.</summary>
    private void DetectSpuriousLosses(long smallest, long highest)
    {
        if (_declaredLost.IsEmpty) return;
        _scratchRanges.Clear();
        _declaredLost.CopyOverlapping(smallest, highest + 1, _scratchRanges);
        if (_scratchRanges.Count == 0) return;
        long reordering = _largestAcked - _scratchRanges[0].Start + 1;
        _packetThreshold = (int)Math.Clamp(Math.Max(_packetThreshold, reordering), InitialPacketThreshold, MaxPacketThreshold);
        _declaredLost.Remove(smallest, highest + 1);
        Statistics.SpuriousLosses++;
        _cc.OnSpuriousLoss();
    }

    private void OnPacketAcked(SentPacket packet, long now)
    {
        if (packet.AckEliciting)
        {
            _bytesInFlight -= packet.Size;
            _ackElicitingOutstanding--;
            _cc.OnAcked(packet.Size, packet.TimeSentMicros, now, _rtt.SmoothedMicros, packet.WindowLimited);
        }
        if (packet.IsPathMtuProbe) OnPathMtuProbeAcked(packet, now);
        else _pmtu.OnPacketAcked(packet.Size);
        foreach (var range in packet.StreamRanges)
        {
            if (!_streams.TryGetValue(range.StreamId, out var stream)) continue;
            stream.Acked.Add(range.Offset, range.Offset + range.Length);
            stream.Lost.Remove(range.Offset, range.Offset + range.Length);
            if (range.Fin) stream.FinAcked = true;
            if (!stream.Acked.IsEmpty && stream.Acked.First.Start == 0) stream.SendBuffer.ReleaseBelow(stream.Acked.First.End);
            stream.WakeWriters();
            RetireIfFinished(stream);
        }
    }

    private void DetectLosses(long now)
    {
        _lossTimeMicros = 0;
        long lossDelay = Math.Max(1000, Math.Max(_rtt.SmoothedMicros, _rtt.LatestMicros) * 9 / 8);
        _scratchRanges.Clear();
        _outstanding.CopyOverlapping(0, _largestAcked, _scratchRanges);
        foreach (var run in _scratchRanges)
        for (long n = run.Start; n < run.End; n++)
        {
            var packet = _sent.Find(n)!;
            if (_largestAcked - packet.PacketNumber >= _packetThreshold || packet.TimeSentMicros <= now - lossDelay)
            {
                OnPacketLost(packet);
                if (!packet.IsPathMtuProbe) _cc.OnLost(packet.Size, packet.TimeSentMicros, now);
            }
            else if (_lossTimeMicros == 0 || packet.TimeSentMicros + lossDelay < _lossTimeMicros)
                _lossTimeMicros = packet.TimeSentMicros + lossDelay;
        }
    }

    /// <summary>Marks a packet lost and re-queues what it carried that still matters.</summary>
    private void OnPacketLost(SentPacket packet)
    {
        packet.State = SentPacketState.Lost;
        _outstanding.Remove(packet.PacketNumber, packet.PacketNumber + 1);
        if (packet.AckEliciting)
        {
            _bytesInFlight -= packet.Size;
            _ackElicitingOutstanding--;
        }
        if (packet.IsPathMtuProbe)
        {
            OnPathMtuProbeLost(packet);
            return;
        }
        Statistics.PacketsLost++;
        _pmtu.OnPacketLost(packet.Size);
        _declaredLost.Add(packet.PacketNumber, packet.PacketNumber + 1);
        _declaredLost.TrimToCount(64);
        RequeueContents(packet);
    }

    private void RequeueContents(SentPacket packet)
    {
        foreach (var range in packet.StreamRanges)
        {
            if (!_streams.TryGetValue(range.StreamId, out var stream)) continue;
            long start = range.Offset, end = range.Offset + range.Length;
            stream.Lost.Add(start, end);
            for (int i = 0; i < stream.Acked.Count && stream.Acked[i].Start < end; i++)
                stream.Lost.Remove(stream.Acked[i].Start, stream.Acked[i].End);
            if (range.Fin && !stream.FinAcked) stream.FinNeedsSend = true;
            if (stream.HasRetransmission) ScheduleStream(stream);
        }
        if (packet.CarriedMaxData) _maxDataPending = true;
        foreach (long id in packet.MaxStreamDataIds)
        {
            if (!_streams.TryGetValue(id, out var stream) || stream.MaxStreamDataPending || stream.FinalSize >= 0) continue;
            stream.MaxStreamDataPending = true;
            _streamWindowUpdates.Add(stream);
        }
    }

    private long ProbeTimeout =>
        _rtt.HasSample
            ? _rtt.SmoothedMicros + Math.Max(4 * _rtt.VarianceMicros, 1000) + MonotonicClock.Micros(_options.MaxAckDelay)
            : _rtt.RtoMicros;

    private long LossTimerDeadline()
    {
        if (_lossTimeMicros != 0) return _lossTimeMicros;
        if (_ackElicitingOutstanding == 0) return long.MaxValue;
        if (_tailLossProbes < MaxTailLossProbes) return _lastAckElicitingSentMicros + (ProbeTimeout << _tailLossProbes);
        return _lastAckElicitingSentMicros + _rtt.BackedOffRto(_rtoBackoff);
    }

    private void OnLossTimer(long now)
    {
        if (_lossTimeMicros != 0)
        {
            DetectLosses(now);
            return;
        }
        if (_tailLossProbes < MaxTailLossProbes)
        {
            _tailLossProbes++;
            Statistics.TailLossProbes++;
            _probesPending = 1;
            if (!_streams.Values.Any(s => s.HasNewData) && !_outstanding.IsEmpty)
                RequeueContents(_sent.Find(_outstanding.First.Start)!);
            return;
        }
        _scratchRanges.Clear();
        _outstanding.CopyOverlapping(0, long.MaxValue, _scratchRanges);
        foreach (var run in _scratchRanges)
            for (long n = run.Start; n < run.End; n++) OnPacketLost(_sent.Find(n)!);
        _sent.Compact();
        _pmtu.OnRetransmissionTimeout();
        ApplyPathMtu();
        _cc.OnRetransmissionTimeout(now);
        Statistics.RetransmissionTimeouts++;
        _rtoBackoff++;
        _probesPending = 1;
    }

    /// <summary>The earliest moment this connection needs the timer.</summary>
    internal long NextDeadline()
    {
        long deadline = State switch
        {
            ConnectionState.Closed => long.MaxValue,
            ConnectionState.Closing or ConnectionState.Draining => _closeDeadlineMicros,
            ConnectionState.Handshaking => Math.Min(_connectDeadlineMicros, _handshakeRetransmitMicros),
            _ => Math.Min(Math.Min(_lastReceivedMicros + MonotonicClock.Micros(_options.IdleTimeout), CloseGiveUpDeadline),
                Math.Min(LossTimerDeadline(), Math.Min(LivenessDeadline(), _pmtu.NextSearchMicros))),
        };
        if (State == ConnectionState.Established)
        {
            if (_ackUnsent && _ackDeadlineMicros != 0) deadline = Math.Min(deadline, _ackDeadlineMicros);
            if (_ackNow) deadline = Math.Min(deadline, _lastReceivedMicros);
            if (_pacingWakeMicros != 0) deadline = Math.Min(deadline, _pacingWakeMicros);
        }
        return deadline;
    }

    /// <summary>Runs every timer that is due; the caller flushes afterwards.</summary>
    internal void OnTimer(long now)
    {
        switch (State)
        {
            case ConnectionState.Closed:
                return;
            case ConnectionState.Closing or ConnectionState.Draining:
                if (now >= _closeDeadlineMicros) Terminate(Error);
                return;
            case ConnectionState.Handshaking:
                OnHandshakeTimer(now);
                return;
        }
        if (now >= _lastReceivedMicros + MonotonicClock.Micros(_options.IdleTimeout))
        {
            Terminate(TransportError.IdleTimeout);
            return;
        }
        if (GaveUpClosing(now)) return;
        if (now >= LossTimerDeadline()) OnLossTimer(now);
        if (_ackUnsent && _ackDeadlineMicros != 0 && now >= _ackDeadlineMicros) _ackNow = true;
        OnLivenessTimer(now);
        _pmtu.OnTimer(now);
    }
}
