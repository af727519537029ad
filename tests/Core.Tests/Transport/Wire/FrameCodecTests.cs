// Round-trip and fuzz tests of the frame encoder and decoder.
using P2PChat.Core.Bytes;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Wire;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Wire;

public sealed class FrameCodecTests
{
    [Fact]
    public void Stream_frames_round_trip()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<uint>(), ArbMap.Default.ArbFor<uint>(), ArbMap.Default.ArbFor<byte[]>(), (id, offset, data) =>
        {
            var buffer = new byte[data.Length + 32];
            var writer = new SpanWriter(buffer);
            bool fin = (id & 1) == 0;
            data.CopyTo(FrameWriter.WriteStreamHeader(ref writer, id, offset, data.Length, fin));
            Assert.Equal(FrameWriter.StreamHeaderSize(id, offset, data.Length) + data.Length, writer.Position);
            var reader = new FrameReader(buffer.AsSpan(0, writer.Position));
            Assert.True(reader.TryRead(out var frame));
            Assert.Equal(id, frame.StreamId);
            Assert.Equal(offset, frame.Offset);
            Assert.Equal(fin, frame.Fin);
            Assert.True(frame.Data.SequenceEqual(data));
            Assert.False(reader.TryRead(out _));
            Assert.False(reader.Malformed);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Ack_frames_round_trip_the_ranges_they_fit()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<ushort[]>(), numbers =>
        {
            if (numbers.Length == 0) return;
            var received = new RangeSet();
            foreach (var n in numbers) received.Add(n, n + 1);
            var buffer = new byte[2048];
            var writer = new SpanWriter(buffer);
            Assert.True(FrameWriter.TryWriteAck(ref writer, received, 1234, 64, buffer.Length));
            var reader = new FrameReader(buffer.AsSpan(0, writer.Position));
            Assert.True(reader.TryRead(out var frame));
            Assert.Equal(FrameType.Ack, frame.Type);
            Assert.Equal(1234, frame.AckDelayMicros);
            var decoded = new RangeSet();
            var ranges = frame.AckRanges;
            while (ranges.TryNext(out long lo, out long hi)) decoded.Add(lo, hi + 1);
            int expected = Math.Min(received.Count, 64);
            Assert.Equal(expected, decoded.Count);
            for (int i = 0; i < expected; i++) Assert.Equal(received[received.Count - 1 - i], decoded[decoded.Count - 1 - i]);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Ack_respects_the_byte_budget()
    {
        var received = new RangeSet();
        for (int i = 0; i < 100; i++) received.Add(i * 1000, i * 1000 + 1);
        var buffer = new byte[64];
        var writer = new SpanWriter(buffer);
        Assert.True(FrameWriter.TryWriteAck(ref writer, received, 0, 1000, 40));
        Assert.True(writer.Position <= 40);
    }

    [Fact]
    public void Control_frames_round_trip()
    {
        var buffer = new byte[256];
        var writer = new SpanWriter(buffer);
        FrameWriter.WritePing(ref writer);
        FrameWriter.WriteMaxData(ref writer, 1L << 40);
        FrameWriter.WriteMaxStreamData(ref writer, 7, 123456);
        FrameWriter.WriteDatagram(ref writer, "probe"u8);
        FrameWriter.WriteClose(ref writer, 2, "bye"u8);
        var reader = new FrameReader(buffer.AsSpan(0, writer.Position));
        Assert.True(reader.TryRead(out var f) && f.Type == FrameType.Ping && f.IsAckEliciting);
        Assert.True(reader.TryRead(out f) && f.Type == FrameType.MaxData && f.Value == 1L << 40);
        Assert.True(reader.TryRead(out f) && f.Type == FrameType.MaxStreamData && f.StreamId == 7 && f.Value == 123456);
        Assert.True(reader.TryRead(out f) && f.Type == FrameType.Datagram && f.Data.SequenceEqual("probe"u8));
        Assert.True(reader.TryRead(out f) && f.Type == FrameType.Close && f.Value == 2 && f.Data.SequenceEqual("bye"u8) && !f.IsAckEliciting);
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.Malformed);
    }

    [Fact]
    public void Random_bytes_never_throw_and_either_parse_or_are_flagged_malformed()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var reader = new FrameReader(bytes);
            int frames = 0;
            while (reader.TryRead(out var frame))
            {
                frames++;
                if (frame.Type == FrameType.Ack)
                {
                    var ranges = frame.AckRanges;
                    while (ranges.TryNext(out long lo, out long hi)) Assert.True(0 <= lo && lo <= hi);
                }
            }
            Assert.True(frames <= bytes.Length);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void An_ack_range_below_zero_is_malformed()
    {
        var buffer = new byte[16];
        var writer = new SpanWriter(buffer);
        writer.WriteByte((byte)FrameType.Ack);
        writer.WriteVarInt(5L);  // largest
        writer.WriteVarInt(0L);  // delay
        writer.WriteVarInt(0L);  // no extra ranges
        writer.WriteVarInt(9L);  // first range would reach −4
        var reader = new FrameReader(buffer.AsSpan(0, writer.Position));
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }
}
