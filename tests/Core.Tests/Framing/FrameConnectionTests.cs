// FrameConnection over a real loopback TCP pair: slow delivery, mid-frame close, oversize, concurrent senders.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using Xunit;

namespace P2PChat.Core.Tests.Framing;

public class FrameConnectionTests
{
    private static async Task<(NetworkStream Client, NetworkStream Server)> PairAsync(CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync(ct).AsTask();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct);
        var server = await accept;
        client.NoDelay = server.NoDelay = true;
        return (client.GetStream(), server.GetStream());
    }

    [Fact]
    public async Task Frames_written_one_byte_at_a_time_are_read_whole()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, server) = await PairAsync(ct);
        await using var reader = new FrameConnection(server, FrameDirection.ToServer);
        var frames = new Frame[] { new Hello(1, 1, "t"), new MsgSend(Tag.General, new byte[3000], 9, MessageFlags.None), new Quit() };
        var bytes = frames.SelectMany(f => FrameCodec.ToBytes(f)).ToArray();

        var writer = Task.Run(async () =>
        {
            foreach (var b in bytes) { await client.WriteAsync(new[] { b }, ct); await client.FlushAsync(ct); }
            client.Socket.Shutdown(SocketShutdown.Send);
        }, ct);

        foreach (var expected in frames)
        {
            var got = await reader.ReadAsync(ct);
            Assert.NotNull(got);
            Assert.Equal(FrameCodec.ToBytes(expected), FrameCodec.ToBytes(got));
        }
        Assert.Null(await reader.ReadAsync(ct));
        await writer;
        client.Dispose();
    }

    [Fact]
    public async Task A_stream_that_ends_inside_a_frame_is_malformed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, server) = await PairAsync(ct);
        await using var reader = new FrameConnection(server, FrameDirection.ToServer);
        var bytes = FrameCodec.ToBytes(new Nick("alice"));
        await client.WriteAsync(bytes.AsMemory(0, bytes.Length - 2), ct);
        client.Socket.Shutdown(SocketShutdown.Send);

        var ex = await Assert.ThrowsAsync<ProtocolException>(async () => await reader.ReadAsync(ct));
        Assert.Equal(StatusCode.MalformedFrame, ex.Code);
        client.Dispose();
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_from_its_header()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, server) = await PairAsync(ct);
        await using var reader = new FrameConnection(server, FrameDirection.ToServer, maxFrameSize: 1024);
        await client.WriteAsync(new byte[] { 0, 0, 0x04, 0x01 }, ct); // 1025: one byte over, and no body is ever sent

        var ex = await Assert.ThrowsAsync<ProtocolException>(async () => await reader.ReadAsync(ct));
        Assert.Equal(StatusCode.FrameTooLarge, ex.Code);
        client.Dispose();
    }

    [Fact]
    public async Task Concurrent_senders_never_interleave_frames()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, server) = await PairAsync(ct);
        await using var sender = new FrameConnection(client, FrameDirection.ToClient);
        await using var reader = new FrameConnection(server, FrameDirection.ToServer);
        const int perTask = 200;

        var senders = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perTask; i++)
                await sender.SendAsync(new MsgSend(Tag.User((uint)t + 1), new byte[1 + i * 7 % 4000], (uint)i, MessageFlags.None), ct);
        }, ct)).ToArray();

        var next = new int[4];
        for (var n = 0; n < 4 * perTask; n++)
        {
            var msg = Assert.IsType<MsgSend>(await reader.ReadAsync(ct));
            var t = (int)(msg.To.Value & ~Tag.UserBit) - 1;
            Assert.Equal((uint)next[t]++, msg.RequestId);
            Assert.Equal(1 + (int)msg.RequestId * 7 % 4000, msg.Data.Length);
        }
        await Task.WhenAll(senders);
    }
}
