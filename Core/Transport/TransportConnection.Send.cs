// Sending side of a connection: assembling one Data packet from pending acks, control frames, datagrams and stream data.
using P2PChat.Core.Bytes;
using P2PChat.Core.Transport.Recovery;
using P2PChat.Core.Transport.Streams;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport;

public sealed partial class TransportConnection
{
    /// <summary>ACK frames riding along with data carry at most this many ranges.</summary>
    private const int PiggybackedAckRanges = 8;
    private const int MaxPiggybackedAckSize = 1 + 8 + 8 + 1 + 8 + PiggybackedAckRanges * 16;
    private const int MinStreamFrameSpace = 24;

    private readonly List<SentStreamRange> _packetRanges = [];
    private readonly List<long> _packetWindowUpdates = [];
    private long _pacingWakeMicros;
    private int _probesPending;

    /// <summary>
    /// Builds the next packet into <paramref name="buffer"/> and returns its length, or 0 when nothing may or needs to
    /// be sent now. Order inside a packet: ACK, CLOSE, MAX_DATA, MAX_STREAM_DATA, DATAGRAMs, STREAM frames
    /// (round robin over streams, lost ranges before new data), PING if a probe or keepalive found nothing else.
    /// </summary>
    private int TryBuildPacket(byte[] buffer, long now)
    {
        if (State is ConnectionState.Handshaking or ConnectionState.Draining or ConnectionState.Closed) return 0;
        if (State == ConnectionState.Closing && !_closePending) return 0;
        int plaintextStart = DataPacketLayout.HeaderLength + _protector.PlaintextOffset;
        int maxPlaintext = PacketSize - DataPacketLayout.HeaderLength - _protector.Overhead;
        var writer = new SpanWriter(buffer.AsSpan(plaintextStart, maxPlaintext));
        long number = _sent.NextPacketNumber;
        writer.WriteUInt64((ulong)number);
        _packetRanges.Clear();
        _packetWindowUpdates.Clear();

        if (State == ConnectionState.Closing)
        {
            FrameWriter.WriteClose(ref writer, _closeCode, "closed"u8);
            _closePending = false;
            return Commit(buffer, writer.Position, number, now, ackEliciting: false, wroteAck: false, carriedMaxData: false);
        }

        bool probe = _probesPending > 0;
        bool windowOpen = _bytesInFlight + PacketSize <= _cc.WindowBytes || _bytesInFlight == 0;
        bool paced = !_options.Pacing || _pacer.CanSend(now);
        // A keepalive (or silence probe) goes out even with the window full, as a tail-loss probe does: otherwise its
        // timer would stay due while nothing could be sent.
        bool mayElicit = probe || _pingPending || (windowOpen && paced);

        bool wroteAck = false;
        if (_ackUnsent)
        {
            long delay = Math.Max(0, now - _largestReceivedMicros);
            int ranges = _ackNow && !mayElicit ? MaxTrackedAckRanges : PiggybackedAckRanges;
            wroteAck = FrameWriter.TryWriteAck(ref writer, _receivedPackets, delay, ranges, writer.Remaining);
        }

        bool ackEliciting = false, carriedMaxData = false;
        if (mayElicit)
        {
            if (_maxDataPending && writer.Remaining >= FrameWriter.MaxDataMaxSize)
            {
                FrameWriter.WriteMaxData(ref writer, _localMaxData);
                _maxDataPending = false;
                carriedMaxData = ackEliciting = true;
            }
            ackEliciting |= WriteWindowUpdates(ref writer);
            ackEliciting |= WriteDatagrams(ref writer);
            ackEliciting |= WriteStreamFrames(ref writer);
            if (!ackEliciting && (probe || _pingPending))
            {
                FrameWriter.WritePing(ref writer);
                ackEliciting = true;
            }
        }
        else if (windowOpen && HasElicitingWork()) _pacingWakeMicros = _pacer.NextSendTime(now);

        if (!ackEliciting && !(wroteAck && _ackNow)) return 0;
        if (ackEliciting)
        {
            _pingPending = false;
            if (probe) _probesPending--;
        }
        if (wroteAck)
        {
            _ackUnsent = _ackNow = false;
            _ackElicitingSinceAck = 0;
            _ackDeadlineMicros = 0;
        }
        return Commit(buffer, writer.Position, number, now, ackEliciting, wroteAck, carriedMaxData);
    }

    private bool HasElicitingWork() =>
        _sendQueue.Count > 0 || _outgoingDatagrams.Count > 0 || _maxDataPending || _streamWindowUpdates.Count > 0 || _pingPending;

    private int Commit(byte[] buffer, int plaintextLength, long number, long now, bool ackEliciting, bool wroteAck, bool carriedMaxData,
        bool pathMtuProbe = false)
    {
        DataPacketLayout.WriteHeader(buffer, RemoteId);
        int length = _protector.Protect(buffer, DataPacketLayout.HeaderLength, plaintextLength);
        bool windowLimited = _bytesInFlight + length >= _cc.WindowBytes / 2;
        var packet = new SentPacket
        {
            PacketNumber = number,
            TimeSentMicros = now,
            Size = length,
            AckEliciting = ackEliciting,
            WindowLimited = windowLimited,
            StreamRanges = _packetRanges.Count == 0 ? [] : [.. _packetRanges],
            CarriedMaxData = carriedMaxData,
            IsPathMtuProbe = pathMtuProbe,
            MaxStreamDataIds = _packetWindowUpdates.Count == 0 ? [] : [.. _packetWindowUpdates],
            State = ackEliciting ? SentPacketState.Outstanding : SentPacketState.Acked,
        };
        _sent.Add(packet);
        Statistics.PacketsSent++;
        if (ackEliciting)
        {
            _bytesInFlight += length;
            _ackElicitingOutstanding++;
            _outstanding.Add(number, number + 1);
            _lastAckElicitingSentMicros = now;
            _pacer.OnSent(length, now);
        }
        else _sent.Compact();
        _lastSentMicros = now;
        return length;
    }

    private bool WriteWindowUpdates(ref SpanWriter writer)
    {
        bool wrote = false;
        while (_streamWindowUpdates.Count > 0 && writer.Remaining >= FrameWriter.MaxStreamDataMaxSize)
        {
            var stream = _streamWindowUpdates[^1];
            _streamWindowUpdates.RemoveAt(_streamWindowUpdates.Count - 1);
            stream.MaxStreamDataPending = false;
            FrameWriter.WriteMaxStreamData(ref writer, stream.Id, stream.LocalMaxStreamData);
            _packetWindowUpdates.Add(stream.Id);
            wrote = true;
        }
        return wrote;
    }

    private bool WriteDatagrams(ref SpanWriter writer)
    {
        bool wrote = false;
        // One that can no longer fit any packet (protection grew after it was queued) is dropped: datagrams are unreliable.
        while (_outgoingDatagrams.TryPeek(out var tooLarge) && tooLarge.Length > MaxDatagramPayload) _outgoingDatagrams.Dequeue();
        while (_outgoingDatagrams.TryPeek(out var datagram) && FrameWriter.DatagramSize(datagram.Length) <= writer.Remaining)
        {
            FrameWriter.WriteDatagram(ref writer, _outgoingDatagrams.Dequeue());
            wrote = true;
        }
        return wrote;
    }

    /// <summary>Round robin: each stream with work writes one frame, then goes to the back of the queue.</summary>
    private bool WriteStreamFrames(ref SpanWriter writer)
    {
        bool wrote = false;
        for (int visits = _sendQueue.Count; visits > 0 && writer.Remaining >= MinStreamFrameSpace; visits--)
        {
            var stream = _sendQueue.Dequeue();
            stream.InSendQueue = false;
            wrote |= TryWriteStreamFrame(stream, ref writer);
            if (stream.HasRetransmission || (stream.HasNewData && _sentData < _peerMaxData)
                || (stream.FinNeedsSend && stream.FinWritten && stream.SentOffset == stream.WriteOffset))
                ScheduleStream(stream);
        }
        return wrote;
    }

    private bool TryWriteStreamFrame(TransportStream stream, ref SpanWriter writer)
    {
        long offset;
        long available;
        bool retransmission = !stream.Lost.IsEmpty;
        if (retransmission)
        {
            var range = stream.Lost.First;
            offset = range.Start;
            available = range.Length;
        }
        else
        {
            offset = stream.SentOffset;
            long credit = Math.Min(stream.PeerMaxStreamData - offset, _peerMaxData - _sentData);
            available = Math.Max(0, Math.Min(stream.WriteOffset - offset, credit));
        }
        int header = FrameWriter.StreamHeaderSize(stream.Id, offset, (int)Math.Min(available, writer.Remaining));
        int length = (int)Math.Min(available, writer.Remaining - header);
        if (length < 0) return false;
        bool fin = stream.FinWritten && !stream.FinAcked && offset + length == stream.WriteOffset
                   && (stream.FinNeedsSend || retransmission);
        if (length == 0 && !fin) return false;
        var data = FrameWriter.WriteStreamHeader(ref writer, stream.Id, offset, length, fin);
        stream.SendBuffer.CopyTo(offset, data);
        if (retransmission) stream.Lost.Remove(offset, offset + length);
        else
        {
            stream.SentOffset += length;
            _sentData += length;
        }
        if (fin) stream.FinNeedsSend = false;
        _packetRanges.Add(new SentStreamRange(stream.Id, offset, length, fin));
        return true;
    }
}
