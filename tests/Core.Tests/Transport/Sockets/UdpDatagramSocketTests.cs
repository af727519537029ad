// Tests of the real UDP socket adapter on loopback: datagram boundaries survive GSO coalescing, sources are reported.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Sockets;

public sealed class UdpDatagramSocketTests
{
    /// <summary>Collects datagrams on the socket's receive thread and signals when the expected count arrived.</summary>
    private sealed class Collector(int expected) : IDatagramReceiver
    {
        public List<(byte[] Data, EndPoint From)> Received { get; } = [];
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnDatagram(Span<byte> datagram, EndPoint remote)
        {
            lock (Received)
            {
                Received.Add((datagram.ToArray(), remote));
                if (Received.Count == expected) Done.TrySetResult();
            }
        }

        public void OnBatchEnd() { }
    }

    [Theory]
    [InlineData(1200, 1200)]
    [InlineData(1200, 0)]
    [InlineData(0, 1200)]
    [InlineData(0, 0)]
    public async Task Full_and_short_datagrams_keep_their_boundaries_with_and_without_gso_and_gro(int gsoSegmentSize, int receiverSegmentSize)
    {
        // A receiver created with a segment size turns UDP GRO on where the kernel offers it.
        using var receiver = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), receiverSegmentSize);
        using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), gsoSegmentSize);
        var sizes = Enumerable.Range(0, 250).Select(i => i % 7 == 6 ? 1 + i % 500 : 1200).ToArray();
        var collector = new Collector(sizes.Length);
        receiver.Start(collector);
        sender.Start(new Collector(0));

        for (int i = 0; i < sizes.Length; i++)
        {
            var datagram = new byte[sizes[i]];
            Array.Fill(datagram, (byte)i);
            sender.Send(datagram, receiver.LocalEndPoint);
            if (i % 40 == 39) sender.Flush();
        }
        sender.Flush();

        await collector.Done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var byFirstByte = collector.Received.ToDictionary(r => r.Data[0], r => r.Data);
        for (int i = 0; i < sizes.Length; i++)
        {
            Assert.Equal(sizes[i], byFirstByte[(byte)i].Length);
            Assert.All(byFirstByte[(byte)i], b => Assert.Equal((byte)i, b));
        }
        Assert.All(collector.Received, r => Assert.Equal(sender.LocalEndPoint, r.From));
        Assert.Equal(sizes.Length, collector.Received.Count);
        if (receiverSegmentSize == 0) Assert.False(receiver.GroEnabled);
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(0)]
    public async Task Closing_a_socket_while_datagrams_arrive_ends_its_receive_loop_quietly(int receiverSegmentSize)
    {
        // Regression: the GRO loop touched the closed socket (Socket.Available) and the exception escaped its thread,
        // which ends the whole process. Close many sockets in the middle of a burst, on both receive loops.
        using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var datagram = new byte[1200];
        for (int round = 0; round < 40; round++)
        {
            var receiver = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), receiverSegmentSize);
            var collector = new Collector(20);
            receiver.Start(collector);
            for (int i = 0; i < 200; i++) sender.Send(datagram, receiver.LocalEndPoint);
            await collector.Done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            for (int i = 0; i < 200; i++) sender.Send(datagram, receiver.LocalEndPoint);
            receiver.Dispose(); // joins the receive thread

            Assert.Null(receiver.ReceiveFault);
        }
    }
}
