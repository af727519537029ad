// Receiving side of a connection: opening Data packets, dedup by packet number, and applying their frames.
using P2PChat.Core.Bytes;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

public sealed partial class TransportConnection
{
    private const int MaxTrackedAckRanges = 32;
    /// <summary>Peer-opened streams that may exist at once (not yet finished both ways); one more is a violation.</summary>
    internal const int MaxOpenPeerStreams = 1024;
    private int _openPeerStreams;
    private readonly RangeSet _receivedPackets = new();
    private long _largestReceived = -1;
    private long _largestReceivedMicros;
    private int _ackElicitingSinceAck;
    private bool _ackUnsent;
    private bool _ackNow;
    private long _ackDeadlineMicros;
    private long _lastReceivedMicros;

    /// <summary>Handles one Data packet addressed to this connection (the datagram buffer is modified in place).</summary>
    internal void OnDataPacket(Span<byte> datagram, long now)
    {
        if (State is ConnectionState.Closed or ConnectionState.Handshaking) return;
        if (!TryOpen(datagram, out int start, out int length)) return;
        var plaintext = datagram.Slice(start, length);
        var reader = new ByteReader(plaintext);
        if (!reader.TryReadUInt64(out ulong rawNumber) || rawNumber > VarInt.Max) return;
        long number = (long)rawNumber;
        if (_receivedPackets.Contains(number) || (!_receivedPackets.IsEmpty && number < _receivedPackets.First.Start)) return;
        var payload = plaintext[DataPacketLayout.PacketNumberLength..];
        if (!IsWellFormed(payload)) return;

        _lastReceivedMicros = now;
        OnPathHeard();
        if (State == ConnectionState.Draining) return;
        if (State == ConnectionState.Closing)
        {
            _closePending = true;
            return;
        }

        bool ackEliciting = false;
        var frames = new FrameReader(payload);
        while (frames.TryRead(out var frame) && State == ConnectionState.Established)
        {
            ackEliciting |= frame.IsAckEliciting;
            ApplyFrame(frame, now);
        }
        RecordReceived(number, ackEliciting, now);
    }

    private static bool IsWellFormed(ReadOnlySpan<byte> payload)
    {
        var frames = new FrameReader(payload);
        while (frames.TryRead(out _)) { }
        return !frames.Malformed;
    }

    private void RecordReceived(long number, bool ackEliciting, long now)
    {
        bool inOrder = number == _largestReceived + 1;
        _receivedPackets.Add(number, number + 1);
        _receivedPackets.TrimToCount(MaxTrackedAckRanges);
        if (number > _largestReceived)
        {
            _largestReceived = number;
            _largestReceivedMicros = now;
        }
        if (!ackEliciting) return;
        _ackUnsent = true;
        _ackElicitingSinceAck++;
        if (_ackElicitingSinceAck >= _options.AckEveryPackets || !inOrder) _ackNow = true;
        else if (_ackDeadlineMicros == 0) _ackDeadlineMicros = now + MonotonicClock.Micros(_options.MaxAckDelay);
    }

    private void ApplyFrame(in PacketFrame frame, long now)
    {
        switch (frame.Type)
        {
            case FrameType.Ack:
                OnAckFrame(frame, now);
                break;
            case FrameType.Stream or FrameType.StreamFin:
                OnStreamFrame(frame);
                break;
            case FrameType.MaxData:
                if (frame.Value > _peerMaxData)
                {
                    _peerMaxData = frame.Value;
                    foreach (var stream in _streams.Values)
                        if (stream.HasNewData) ScheduleStream(stream);
                }
                break;
            case FrameType.MaxStreamData:
                if (StreamFor(frame.StreamId) is { } target && frame.Value > target.PeerMaxStreamData)
                {
                    target.PeerMaxStreamData = frame.Value;
                    if (target.HasNewData) ScheduleStream(target);
                }
                break;
            case FrameType.Datagram:
                if (_incomingDatagrams.Count < _options.DatagramQueueLimit)
                {
                    _incomingDatagrams.Enqueue(frame.Data.ToArray());
                    _datagramArrived.Set();
                }
                break;
            case FrameType.Close:
                OnCloseFrame(frame.Value, now);
                break;
        }
    }

    private void OnStreamFrame(in PacketFrame frame)
    {
        if (StreamFor(frame.StreamId) is not { } stream) return;
        long end = frame.Offset + frame.Data.Length;
        if (end > stream.LocalMaxStreamData || (stream.FinalSize >= 0 && end > stream.FinalSize)
            || (frame.Fin && stream.FinalSize >= 0 && end != stream.FinalSize)
            || (frame.Fin && end < stream.HighestReceived))
        {
            Violation(TransportError.FlowControlViolation, $"stream {stream.Id}: data beyond the limit or the final size");
            return;
        }
        if (end > stream.HighestReceived)
        {
            _receivedData += end - stream.HighestReceived;
            stream.HighestReceived = end;
            if (_receivedData > _localMaxData)
            {
                Violation(TransportError.FlowControlViolation, "connection flow-control limit exceeded");
                return;
            }
        }
        if (frame.Fin) stream.FinalSize = end;
        int placed = stream.Receive(frame.Offset, frame.Data);
        if (placed > 0) OnStreamConsumed(stream, placed, flush: false); // the receive batch's end flushes (UdpTransportEndpoint.OnBatchEnd)
        if (stream.ReaderHasWork) stream.WakeReaders();
    }

    /// <summary>The stream a frame refers to, creating a peer-opened stream on first sight; null for ids that cannot exist.</summary>
    private TransportStream? StreamFor(long id)
    {
        if (_streams.TryGetValue(id, out var stream)) return stream;
        if (!IsPeerOpened(id) || _peerStreamsOpened.Contains(id >> 1)) return null;
        if (_openPeerStreams >= MaxOpenPeerStreams)
        {
            Violation(TransportError.ProtocolViolation, "too many streams opened by the peer");
            return null;
        }
        _openPeerStreams++;
        _peerStreamsOpened.Add(id >> 1, (id >> 1) + 1);
        stream = NewStream(id);
        _incomingStreams.Enqueue(stream);
        _streamArrived.Set();
        return stream;
    }
}
