// The TCP link framing: preamble and length-prefixed frames, split anywhere, and every kind of malformed input.
using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Links.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Links.Tcp;

public sealed class TcpLinkFrameCodecTests
{
    private static byte[] Stream(params byte[][] datagrams)
    {
        var bytes = new List<byte>();
        var preamble = new byte[TcpLinkFrameCodec.PreambleLength];
        TcpLinkFrameCodec.WritePreamble(preamble);
        bytes.AddRange(preamble);
        foreach (var d in datagrams)
        {
            var frame = new byte[TcpLinkFrameCodec.LengthPrefix + d.Length];
            TcpLinkFrameCodec.WriteFrame(d, frame);
            bytes.AddRange(frame);
        }
        return [.. bytes];
    }

    /// <summary>Reads a whole byte stream cut into the given segment sizes, as the connection's read loop would.</summary>
    private static (List<byte[]> Datagrams, TcpLinkReadStatus Last, string? Error) ReadAll(byte[] bytes, int segment)
    {
        var sequence = Segmented(bytes, segment);
        var reader = new SequenceReader<byte>(sequence);
        var status = TcpLinkFrameCodec.TryReadPreamble(ref reader, out var error);
        var datagrams = new List<byte[]>();
        while (status == TcpLinkReadStatus.Read)
        {
            status = TcpLinkFrameCodec.TryReadFrame(ref reader, out var d, out error);
            if (status == TcpLinkReadStatus.Read) datagrams.Add(d.ToArray());
        }
        return (datagrams, status, error);
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        if (bytes.Length == 0) return ReadOnlySequence<byte>.Empty;
        Chunk? first = null, last = null;
        for (int i = 0; i < bytes.Length; i += size)
        {
            var chunk = new Chunk(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)));
            if (first is null) first = last = chunk;
            else last = last!.Append(chunk);
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory) => Memory = memory;
        public Chunk Append(ReadOnlyMemory<byte> memory) => Append(new Chunk(memory));
        public Chunk Append(Chunk next)
        {
            next.RunningIndex = RunningIndex + Memory.Length;
            Next = next;
            return next;
        }
    }

    [Fact]
    public void The_byte_layout_is_the_documented_one()
    {
        var bytes = Stream([0xC1, 0x02, 0x03]);
        Assert.Equal(new byte[] { 0x50, 0x32, 0x4C, 0x54, 0x01, 0x00, 0x03, 0xC1, 0x02, 0x03 }, bytes);
    }

    [Fact]
    public void Frames_come_back_whole_however_the_stream_is_cut()
    {
        byte[][] sent = [[0xC1, .. new byte[63]], [.. Enumerable.Range(0, 1200).Select(i => (byte)i)], [7], new byte[TcpLinkFrameCodec.MaxDatagram]];
        var bytes = Stream(sent);
        foreach (var segment in new[] { 1, 2, 3, 5, 64, 1000, bytes.Length })
        {
            var (got, last, error) = ReadAll(bytes, segment);
            Assert.Equal(TcpLinkReadStatus.NeedMore, last);
            Assert.Null(error);
            Assert.Equal(sent.Length, got.Count);
            for (int i = 0; i < sent.Length; i++) Assert.Equal(sent[i], got[i]);
        }
    }

    [Fact]
    public void A_partial_frame_consumes_nothing()
    {
        var bytes = Stream(new byte[100]);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1));
        Assert.Equal(TcpLinkReadStatus.Read, TcpLinkFrameCodec.TryReadPreamble(ref reader, out _));
        long before = reader.Consumed;
        Assert.Equal(TcpLinkReadStatus.NeedMore, TcpLinkFrameCodec.TryReadFrame(ref reader, out _, out var error));
        Assert.Null(error);
        Assert.Equal(before, reader.Consumed);
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20 }, "bad preamble")]          // "GET " : a stray HTTP client
    [InlineData(new byte[] { 0x16, 0x03, 0x01 }, "bad preamble")]                // a TLS ClientHello
    [InlineData(new byte[] { 0x50 }, null)]                                       // the start of a good preamble: wait
    [InlineData(new byte[] { 0x50, 0x33 }, "bad preamble")]                       // wrong from the second byte on
    [InlineData(new byte[] { 0x50, 0x32, 0x4C, 0x54, 0x02 }, "version 2")]
    public void A_bad_preamble_is_refused_as_soon_as_it_is_wrong(byte[] bytes, string? error)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var status = TcpLinkFrameCodec.TryReadPreamble(ref reader, out var why);
        if (error is null)
        {
            Assert.Equal(TcpLinkReadStatus.NeedMore, status);
            return;
        }
        Assert.Equal(TcpLinkReadStatus.Malformed, status);
        Assert.Contains(error, why);
    }

    [Theory]
    [InlineData(0, "empty frame")]
    [InlineData(TcpLinkFrameCodec.MaxDatagram + 1, "at most")]
    [InlineData(0xFFFF, "at most")]
    public void A_frame_of_a_forbidden_length_is_malformed(int length, string error)
    {
        var bytes = Stream([1, 2, 3]).Concat(new byte[] { (byte)(length >> 8), (byte)length }).Concat(new byte[10]).ToArray();
        var (got, last, why) = ReadAll(bytes, 4);
        Assert.Single(got);   // the good frame before it still counts
        Assert.Equal(TcpLinkReadStatus.Malformed, last);
        Assert.Contains(error, why);
    }

    [Fact]
    public void Writing_refuses_what_cannot_be_framed()
    {
        var buffer = new byte[TcpLinkFrameCodec.MaxFrame + 10];
        Assert.Throws<ArgumentException>(() => TcpLinkFrameCodec.WriteFrame([], buffer));
        Assert.Throws<ArgumentException>(() => TcpLinkFrameCodec.WriteFrame(new byte[TcpLinkFrameCodec.MaxDatagram + 1], buffer));
        Assert.Throws<ArgumentException>(() => TcpLinkFrameCodec.WriteFrame(new byte[10], new byte[11]));
    }

    [Fact]
    public void Any_datagrams_cut_anywhere_round_trip() =>
        Check.QuickThrowOnFailure(Prop.ForAll<byte[][], byte>((raw, cut) =>
        {
            byte[][] datagrams = [.. (raw ?? []).Where(d => d is { Length: > 0 }).Select(d => d.Length > 300 ? d[..300] : d)];
            var (got, last, _) = ReadAll(Stream(datagrams), 1 + cut % 50);
            return last == TcpLinkReadStatus.NeedMore && got.Count == datagrams.Length && got.Zip(datagrams).All(p => p.First.SequenceEqual(p.Second));
        }));

    [Fact]
    public void Random_bytes_after_the_preamble_never_throw() =>
        Check.QuickThrowOnFailure(Prop.ForAll<byte[]>(garbage =>
        {
            var preamble = new byte[TcpLinkFrameCodec.PreambleLength];
            TcpLinkFrameCodec.WritePreamble(preamble);
            var (_, last, _) = ReadAll([.. preamble, .. garbage ?? []], 7);
            return last is TcpLinkReadStatus.NeedMore or TcpLinkReadStatus.Malformed;
        }));
}
