// Decodes the frames of a packet payload one at a time; pure, no allocation, rejects malformed input.
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Iterates frames (layouts in <see cref="FrameType"/>). <see cref="TryRead"/> returns false at the end of the
/// payload, with <see cref="Malformed"/> set if it stopped on bytes that are not a valid frame; a receiver then
/// drops the whole packet.
/// </summary>
internal ref struct FrameReader(ReadOnlySpan<byte> payload)
{
    /// <summary>Offsets, lengths and stream ids are capped at 2^62-1 by the varint encoding.</summary>
    private const long MaxValue = (long)VarInt.Max;
    private ByteReader _reader = new(payload);
    private readonly ReadOnlySpan<byte> _payload = payload;

    public bool Malformed { get; private set; }

    public bool TryRead(out PacketFrame frame)
    {
        frame = default;
        if (Malformed || _reader.End) return false;
        if (TryDecode(out frame)) return true;
        Malformed = true;
        return false;
    }

    private bool TryDecode(out PacketFrame frame)
    {
        frame = default;
        _reader.TryReadByte(out byte typeByte);
        var type = (FrameType)typeByte;
        switch (type)
        {
            case FrameType.Padding or FrameType.Ping:
                frame = new PacketFrame { Type = type };
                return true;
            case FrameType.Ack:
                return TryDecodeAck(out frame);
            case FrameType.Stream or FrameType.StreamFin:
            {
                if (!_reader.TryReadVarInt(MaxValue, out long id) || !_reader.TryReadVarInt(MaxValue, out long offset)
                    || !_reader.TryReadVarInt(int.MaxValue, out long length) || offset + length > MaxValue
                    || !_reader.TryReadBytes((int)length, out var data)) return false;
                frame = new PacketFrame { Type = type, StreamId = id, Offset = offset, Data = data, Fin = type == FrameType.StreamFin };
                return true;
            }
            case FrameType.MaxData:
            {
                if (!_reader.TryReadVarInt(MaxValue, out long max)) return false;
                frame = new PacketFrame { Type = type, Value = max };
                return true;
            }
            case FrameType.MaxStreamData:
            {
                if (!_reader.TryReadVarInt(MaxValue, out long id) || !_reader.TryReadVarInt(MaxValue, out long max)) return false;
                frame = new PacketFrame { Type = type, StreamId = id, Value = max };
                return true;
            }
            case FrameType.Datagram or FrameType.Close:
            {
                long code = 0;
                if (type == FrameType.Close && !_reader.TryReadVarInt(MaxValue, out code)) return false;
                if (!_reader.TryReadVarInt(int.MaxValue, out long length) || !_reader.TryReadBytes((int)length, out var data)) return false;
                frame = new PacketFrame { Type = type, Value = code, Data = data };
                return true;
            }
            default:
                return false;
        }
    }

    private bool TryDecodeAck(out PacketFrame frame)
    {
        frame = default;
        if (!_reader.TryReadVarInt(MaxValue, out long largest) || !_reader.TryReadVarInt(MaxValue, out long delay)
            || !_reader.TryReadVarInt(1024, out long extraCount) || !_reader.TryReadVarInt(MaxValue, out long firstLength))
            return false;
        int rangesStart = _reader.Position;
        for (long i = 0; i < extraCount * 2; i++)
            if (!_reader.TryReadVarInt(MaxValue, out _)) return false;
        var ranges = new AckRangeReader(largest, firstLength, extraCount, _payload[rangesStart.._reader.Position]);
        if (!IsFullyValid(ranges, extraCount)) return false;
        frame = new PacketFrame { Type = FrameType.Ack, Value = largest, AckDelayMicros = delay, AckRanges = ranges };
        return true;
    }

    /// <summary>Every range must decode without going below packet number 0.</summary>
    private static bool IsFullyValid(AckRangeReader ranges, long extraCount)
    {
        long seen = 0;
        while (ranges.TryNext(out _, out _)) seen++;
        return seen == extraCount + 1;
    }
}
