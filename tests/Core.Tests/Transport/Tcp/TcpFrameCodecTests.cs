// Tests of the TCP path's frame header codec.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Tcp;

public sealed class TcpFrameCodecTests
{
    [Fact]
    public void Headers_round_trip_and_partial_ones_ask_for_more()
    {
        var buffer = new byte[TcpFrameCodec.MaxHeaderLength];
        int length = TcpFrameCodec.WriteHeader(buffer, TcpFrameCodec.Stream, 12345, 70_000);
        Assert.True(TcpFrameCodec.TryReadHeader(buffer.AsSpan(0, length), out byte type, out long id, out int payload, out int header, out _));
        Assert.Equal((TcpFrameCodec.Stream, 12345L, 70_000, length), (type, id, payload, header));
        for (int cut = 0; cut < length; cut++)
        {
            Assert.False(TcpFrameCodec.TryReadHeader(buffer.AsSpan(0, cut), out _, out _, out _, out _, out bool malformed));
            Assert.False(malformed);
        }
    }

    [Fact]
    public void Unknown_types_and_oversized_payloads_are_malformed()
    {
        var buffer = new byte[TcpFrameCodec.MaxHeaderLength];
        int length = TcpFrameCodec.WriteHeader(buffer, 0x09, 1, 10);
        Assert.False(TcpFrameCodec.TryReadHeader(buffer.AsSpan(0, length), out _, out _, out _, out _, out bool malformed));
        Assert.True(malformed);
        length = TcpFrameCodec.WriteHeader(buffer, TcpFrameCodec.Stream, 1, TcpFrameCodec.MaxPayload + 1);
        Assert.False(TcpFrameCodec.TryReadHeader(buffer.AsSpan(0, length), out _, out _, out _, out _, out malformed));
        Assert.True(malformed);
    }
}
