// Tests of the real UDP socket adapter on loopback: datagram boundaries survive GSO coalescing, sources are reported,
// sends from many threads at once stay intact, and a throwing receiver costs one datagram, not the receive loop.
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

    /// <summary>Throws on every datagram whose first byte is 0xFF, collects the others.</summary>
    private sealed class Faulty(int expected) : IDatagramReceiver
    {
        public Collector Good { get; } = new(expected);

        public void OnDatagram(Span<byte> datagram, EndPoint remote)
        {
            if (datagram[0] == 0xFF) throw new InvalidOperationException("a handler bug");
            Good.OnDatagram(datagram, remote);
        }

        public void OnBatchEnd() { }
    }

    [Theory]
    [InlineData(1200)]
    [InlineData(0)]
    public async Task A_receiver_that_throws_loses_that_datagram_only_and_the_first_fault_is_reported(int receiverSegmentSize)
    {
        // Regression: an exception from the receiver ended the receive loop for good, leaving a shared link socket deaf
        // to every check session and link on it.
        using var receiver = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), receiverSegmentSize);
        using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var reported = new List<Exception>();
        receiver.ReceiverFaulted += e => { lock (reported) reported.Add(e); };
        var faulty = new Faulty(10);
        receiver.Start(faulty);

        for (int i = 0; i < 10; i++)
        {
            sender.Send(new byte[] { 0xFF, (byte)i }, receiver.LocalEndPoint);
            sender.Send(new byte[] { (byte)i }, receiver.LocalEndPoint);
        }

        await faulty.Good.Done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(0, 10), faulty.Good.Received.Select(r => (int)r.Data[0]).Order());
        Assert.Null(receiver.ReceiveFault);
        Assert.Equal(10, receiver.ReceiverFaults);   // one sender, one receiver: in order, so the last good one came after every bad one
        lock (reported) Assert.Equal("a handler bug", Assert.Single(reported).Message);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(0)]
    public async Task Sends_from_many_threads_to_many_destinations_at_once_all_arrive_intact(int gsoSegmentSize)
    {
        // The peer's link socket is sent on by check sessions (timer and receive threads), transports, STUN and path
        // monitors at once. Regression: the destination cache (a Dictionary) and the GSO batch had no lock.
        const int threads = 8, perThread = 150;
        var receivers = Enumerable.Range(0, 4).Select(_ => UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0))).ToArray();
        using var sender = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0), gsoSegmentSize);
        // Our own sink on every loopback address: 1,500 distinct destinations (127.77.x.y), none of them anyone else's.
        using var sink = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0));
        sink.Start(new Collector(-1));
        int sinkPort = ((IPEndPoint)sink.LocalEndPoint).Port;
        var collectors = receivers.Select((_, r) => new Collector(threads * Enumerable.Range(0, perThread).Count(i => i % receivers.Length == r))).ToArray();
        try
        {
            for (int r = 0; r < receivers.Length; r++) receivers[r].Start(collectors[r]);
            sender.Start(new Collector(0));
            using var start = new Barrier(threads);
            var work = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                var datagram = new byte[100];
                for (int i = 0; i < perThread; i++)
                {
                    Array.Fill(datagram, (byte)(t * perThread + i));
                    datagram[0] = (byte)t;
                    datagram[1] = (byte)i;
                    sender.Send(datagram, receivers[i % receivers.Length].LocalEndPoint);
                    // Many distinct destinations grow (and clear) the destination cache while others read it.
                    sender.Send(datagram.AsSpan(0, 8), new IPEndPoint(new IPAddress([127, 77, (byte)((t * perThread + i) / 250), (byte)(1 + (t * perThread + i) % 250)]), sinkPort));
                    if (i % 10 == 9) sender.Flush();
                }
                sender.Flush();
            }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            await Task.WhenAll(work);

            await Task.WhenAll(collectors.Select(c => c.Done.Task)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var all = collectors.SelectMany(c => c.Received).Select(r => r.Data).ToList();
            Assert.Equal(threads * perThread, all.Select(d => (d[0], d[1])).Distinct().Count());
            Assert.All(all, d =>
            {
                Assert.Equal(100, d.Length);
                Assert.All(d.AsSpan(2).ToArray(), b => Assert.Equal((byte)(d[0] * perThread + d[1]), b));
            });
        }
        finally
        {
            foreach (var r in receivers) r.Dispose();
        }
    }
}
