// Tests of stream reassembly (out of order, duplicated, growing ring) and of the chunked send buffer.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Streams;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Streams;

public sealed class StreamBufferTests
{
    /// <summary>Random bytes cut into segments of up to 5000, one in five sent twice, in order.</summary>
    private static (byte[] Source, List<(int Offset, int Length)> Segments) Segments(Random random)
    {
        var source = new byte[random.Next(1, 60_000)];
        random.NextBytes(source);
        var segments = new List<(int Offset, int Length)>();
        for (int o = 0; o < source.Length;)
        {
            int n = Math.Min(source.Length - o, random.Next(1, 5000));
            segments.Add((o, n));
            if (random.Next(5) == 0) segments.Add((o, n));
            o += n;
        }
        return (source, segments);
    }

    [Fact]
    public void Segments_in_any_order_with_duplicates_reassemble_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            var (source, segments) = Segments(random);
            int total = source.Length;
            var shuffled = segments.OrderBy(_ => random.Next()).ToList();
            var buffer = new StreamReceiveBuffer(1024);
            var output = new List<byte>();
            var chunk = new byte[random.Next(1, 10_000)];
            foreach (var (offset, length) in shuffled)
            {
                buffer.Write(offset, source.AsSpan(offset, length));
                int n;
                while ((n = buffer.Read(chunk)) > 0) output.AddRange(chunk.AsSpan(0, n).ToArray());
            }
            Assert.Equal(source, output.ToArray());
            Assert.Equal(0, buffer.Readable);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Segments_written_into_waiting_readers_buffers_reassemble_exactly()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<int>(), seed =>
        {
            var random = new Random(seed);
            var (source, segments) = Segments(random);
            int total = source.Length;
            var buffer = new StreamReceiveBuffer(1024);
            var output = new List<byte>();
            foreach (var (offset, length) in segments.OrderBy(_ => random.Next()))
            {
                // Half the time a reader waits with a buffer of its own; otherwise the bytes are buffered and read later.
                if (random.Next(2) == 0)
                {
                    var destination = new byte[random.Next(1, 10_000)];
                    long before = buffer.ReadOffset;
                    int placed = buffer.WriteInto(offset, source.AsSpan(offset, length), destination);
                    Assert.Equal(before + placed, buffer.ReadOffset);
                    output.AddRange(destination.AsSpan(0, placed).ToArray());
                }
                else buffer.Write(offset, source.AsSpan(offset, length));
                var chunk = new byte[random.Next(1, 10_000)];
                int n;
                if (random.Next(2) == 0)
                    while ((n = buffer.Read(chunk)) > 0) output.AddRange(chunk.AsSpan(0, n).ToArray());
            }
            var rest = new byte[total];
            output.AddRange(rest.AsSpan(0, buffer.Read(rest)).ToArray());
            Assert.Equal(source, output.ToArray());
            Assert.Equal(0, buffer.Readable);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Pieces_lent_from_the_send_buffer_end_at_its_chunks_and_hold_what_the_writer_committed()
    {
        var buffer = new StreamSendBuffer();
        var source = new byte[200_000];
        new Random(5).NextBytes(source);
        buffer.Append(source.AsSpan(0, 65_000));
        var piece = buffer.Lend(10_000);
        Assert.Equal(64 * 1024 - 65_000, piece.Length);       // the rest of the first 64 KiB chunk
        source.AsSpan(65_000, piece.Length).CopyTo(piece.Span);
        buffer.Advance(piece.Length);
        piece = buffer.Lend(10_000);                          // a new chunk
        Assert.Equal(10_000, piece.Length);
        source.AsSpan((int)buffer.End, 4_000).CopyTo(piece.Span);
        buffer.Advance(4_000);                                // less than lent
        Assert.Throws<InvalidOperationException>(() => buffer.Advance(1));
        buffer.Append(source.AsSpan((int)buffer.End, 1_000));

        var copy = new byte[buffer.End];
        buffer.CopyTo(0, copy);
        Assert.Equal(source.AsSpan(0, copy.Length).ToArray(), copy);
        buffer.Lend(100);
        buffer.Clear();                                       // the lent chunk is not pooled while a writer may fill it
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void Send_buffer_serves_any_range_and_releases_acknowledged_chunks()
    {
        var buffer = new StreamSendBuffer();
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        buffer.Append(data.AsSpan(0, 100_000));
        buffer.Append(data.AsSpan(100_000));
        var copy = new byte[70_000];
        buffer.CopyTo(60_000, copy);
        Assert.Equal(data.AsSpan(60_000, 70_000).ToArray(), copy);
        buffer.ReleaseBelow(200_000);
        Assert.Equal(200_000, buffer.Start);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.CopyTo(100_000, new byte[10]));
        buffer.CopyTo(250_000, copy.AsSpan(0, 50_000));
        Assert.Equal(data.AsSpan(250_000, 50_000).ToArray(), copy.AsSpan(0, 50_000).ToArray());
    }
}
