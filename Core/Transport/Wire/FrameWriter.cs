// Encodes frames into a packet payload; callers size-check with the *Size helpers first.
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Transport.Wire;

/// <summary>Writers for the layouts documented in <see cref="FrameType"/>.</summary>
internal static class FrameWriter
{
    public static void WritePing(ref SpanWriter writer) => writer.WriteByte((byte)FrameType.Ping);

    /// <summary>
    /// Writes an ACK for the ranges of <paramref name="received"/> (highest first), as many as fit in
    /// <paramref name="maxBytes"/> and at most <paramref name="maxRanges"/>. Returns false if not even one range fits.
    /// </summary>
    public static bool TryWriteAck(ref SpanWriter writer, RangeSet received, long ackDelayMicros, int maxRanges, int maxBytes)
    {
        int count = received.Count;
        if (count == 0) return false;
        var top = received[count - 1];
        long largest = top.End - 1;
        int fixedSize = 1 + VarInt.SizeOf((ulong)largest) + VarInt.SizeOf((ulong)ackDelayMicros) + 1 + VarInt.SizeOf((ulong)(top.End - 1 - top.Start));
        if (fixedSize > maxBytes) return false;
        int budget = maxBytes - fixedSize;
        int extra = 0;
        long previousSmallest = top.Start;
        for (int i = count - 2; i >= 0 && extra < Math.Min(maxRanges - 1, 63); i--)
        {
            var r = received[i];
            int size = VarInt.SizeOf((ulong)(previousSmallest - r.End - 1)) + VarInt.SizeOf((ulong)(r.End - 1 - r.Start));
            if (size > budget) break;
            budget -= size;
            extra++;
            previousSmallest = r.Start;
        }
        writer.WriteByte((byte)FrameType.Ack);
        writer.WriteVarInt(largest);
        writer.WriteVarInt(ackDelayMicros);
        writer.WriteVarInt((long)extra); // < 64, so one byte as counted above
        writer.WriteVarInt(top.End - 1 - top.Start);
        previousSmallest = top.Start;
        for (int i = count - 2, n = 0; n < extra; i--, n++)
        {
            var r = received[i];
            writer.WriteVarInt(previousSmallest - r.End - 1);
            writer.WriteVarInt(r.End - 1 - r.Start);
            previousSmallest = r.Start;
        }
        return true;
    }

    /// <summary>Bytes a STREAM frame header takes before its data.</summary>
    public static int StreamHeaderSize(long streamId, long offset, int length) =>
        1 + VarInt.SizeOf((ulong)streamId) + VarInt.SizeOf((ulong)offset) + VarInt.SizeOf((ulong)length);

    /// <summary>Writes a STREAM header and returns the span where the <paramref name="length"/> data bytes go.</summary>
    public static Span<byte> WriteStreamHeader(ref SpanWriter writer, long streamId, long offset, int length, bool fin)
    {
        writer.WriteByte((byte)(fin ? FrameType.StreamFin : FrameType.Stream));
        writer.WriteVarInt(streamId);
        writer.WriteVarInt(offset);
        writer.WriteVarInt((long)length);
        return writer.Reserve(length);
    }

    public static void WriteMaxData(ref SpanWriter writer, long max)
    {
        writer.WriteByte((byte)FrameType.MaxData);
        writer.WriteVarInt(max);
    }

    public const int MaxDataMaxSize = 9;
    public const int MaxStreamDataMaxSize = 17;

    public static void WriteMaxStreamData(ref SpanWriter writer, long streamId, long max)
    {
        writer.WriteByte((byte)FrameType.MaxStreamData);
        writer.WriteVarInt(streamId);
        writer.WriteVarInt(max);
    }

    public static int DatagramSize(int length) => 1 + VarInt.SizeOf((ulong)length) + length;

    public static void WriteDatagram(ref SpanWriter writer, ReadOnlySpan<byte> data)
    {
        writer.WriteByte((byte)FrameType.Datagram);
        writer.WriteVarInt((long)data.Length);
        writer.WriteBytes(data);
    }

    public static void WriteClose(ref SpanWriter writer, long errorCode, ReadOnlySpan<byte> reason)
    {
        writer.WriteByte((byte)FrameType.Close);
        writer.WriteVarInt(errorCode);
        writer.WriteVarInt((long)reason.Length);
        writer.WriteBytes(reason);
    }
}
