// TcpLinkSocket on loopback: connections from the listening port, one connection per endpoint, a bad peer closed alone.
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PChat.Core.Links.Tcp;
using P2PChat.Core.Transport.Sockets;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Links.Tcp;

public sealed class TcpLinkSocketTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(20);

    /// <summary>Collects what a socket delivers.</summary>
    internal sealed class Inbox : IDatagramReceiver
    {
        public Channel<(byte[] Datagram, IPEndPoint From)> Received { get; } = Channel.CreateUnbounded<(byte[], IPEndPoint)>();
        public void OnDatagram(Span<byte> datagram, EndPoint remote) => Received.Writer.TryWrite((datagram.ToArray(), (IPEndPoint)remote));
        public void OnBatchEnd() { }

        public async Task<(byte[] Datagram, IPEndPoint From)> NextAsync(CancellationToken ct) =>
            await Received.Reader.ReadAsync(ct).AsTask().WaitAsync(SafetyNet, ct);
    }

    private static (TcpLinkSocket Socket, Inbox Inbox) Open(TimeProvider? time = null)
    {
        var socket = TcpLinkSocket.Listen(Loopback, time);
        var inbox = new Inbox();
        socket.Start(inbox);
        return (socket, inbox);
    }

    /// <summary>Sends <paramref name="datagram"/> again every 200 ms until <paramref name="inbox"/> has it, as a check
    /// retransmits (a connect that lost the race to the peer's own connect drops what it held).</summary>
    private static async Task<IPEndPoint> DeliverAsync(TcpLinkSocket from, EndPoint to, Inbox inbox, byte[] datagram, CancellationToken ct)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        giveUp.CancelAfter(SafetyNet);
        while (true)
        {
            from.Send(datagram, to);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(giveUp.Token);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                while (true)
                {
                    var (got, sender) = await inbox.Received.Reader.ReadAsync(wait.Token);
                    if (got.SequenceEqual(datagram)) return sender;
                }
            }
            catch (OperationCanceledException) when (!giveUp.IsCancellationRequested) { }
        }
    }

    [Fact]
    public async Task A_connection_leaves_from_the_listening_port_and_carries_datagrams_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, aIn) = Open();
        var (b, bIn) = Open();
        using (a)
        using (b)
        {
            a.Send([0xC1, 1, 2], b.LocalEndPoint);
            var (got, from) = await bIn.NextAsync(ct);
            Assert.Equal(new byte[] { 0xC1, 1, 2 }, got);
            Assert.Equal(a.LocalEndPoint, from);   // the connect was bound to a's listening port: one TCP candidate, all roles

            b.Send([9, 8, 7], from);
            var (back, backFrom) = await aIn.NextAsync(ct);
            Assert.Equal(new byte[] { 9, 8, 7 }, back);
            Assert.Equal(b.LocalEndPoint, backFrom);
            Assert.Equal(1, a.OpenConnections);
            Assert.Equal(1, b.OpenConnections);   // the answer rode the same connection
        }
    }

    [Fact]
    public async Task Both_sides_connecting_at_once_end_up_with_one_working_connection()
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, aIn) = Open();
        var (b, bIn) = Open();
        using (a)
        using (b)
        {
            var toB = DeliverAsync(a, b.LocalEndPoint, bIn, [1], ct);
            var toA = DeliverAsync(b, a.LocalEndPoint, aIn, [2], ct);
            Assert.Equal(a.LocalEndPoint, await toB);
            Assert.Equal(b.LocalEndPoint, await toA);
            Assert.Equal(1, a.OpenConnections);   // the 4-tuple is unique: crossing SYNs, or one accepted and one refused
            Assert.Equal(1, b.OpenConnections);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x32, 0x4C, 0x54, 0x01, 0x00, 0x00 }, "empty frame")]
    [InlineData(new byte[] { 0x50, 0x32, 0x4C, 0x54, 0x01, 0xFF, 0xFF }, "at most")]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F }, "bad preamble")]
    public async Task A_malformed_frame_closes_only_its_own_connection(byte[] bad, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        var (a, aIn) = Open();
        var (b, bIn) = Open();
        using (a)
        using (b)
        {
            a.Send([1], b.LocalEndPoint);
            await bIn.NextAsync(ct);
            var closed = new TaskCompletionSource<(IPEndPoint, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
            b.ConnectionClosed = (remote, why) => closed.TrySetResult((remote, why));

            using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await stranger.ConnectAsync(b.LocalEndPoint, ct);
            await stranger.SendAsync(bad, SocketFlags.None, ct);
            var (who, why) = await closed.Task.WaitAsync(SafetyNet, ct);
            Assert.Equal(stranger.LocalEndPoint, who);
            Assert.Contains(reason, why);
            // The stranger's connection is gone (reset or end of stream)...
            var buffer = new byte[16];
            int read;
            try
            {
                do read = await stranger.ReceiveAsync(buffer, SocketFlags.None, ct).AsTask().WaitAsync(SafetyNet, ct);
                while (read > 0);   // b's own preamble may come first
            }
            catch (SocketException) { read = 0; }   // or a reset
            Assert.Equal(0, read);
            // ...and the good one still carries datagrams both ways.
            a.Send([2], b.LocalEndPoint);
            Assert.Equal(new byte[] { 2 }, (await bIn.NextAsync(ct)).Datagram);
            b.Send([3], a.LocalEndPoint);
            Assert.Equal(new byte[] { 3 }, (await aIn.NextAsync(ct)).Datagram);
            Assert.Equal(1, b.OpenConnections);
        }
    }

    [Fact]
    public async Task A_client_that_never_sends_the_preamble_is_closed_when_its_time_is_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new ManualTimeProvider();
        var (b, _) = Open(time);
        using (b)
        {
            var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            b.ConnectionClosed = (_, why) => closed.TrySetResult(why);
            var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            b.ConnectionOpened = _ => opened.TrySetResult();
            using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await silent.ConnectAsync(b.LocalEndPoint, ct);
            await opened.Task.WaitAsync(SafetyNet, ct);
            time.Advance(new TcpLinkOptions().PreambleTimeout);
            Assert.Equal("no preamble in time", await closed.Task.WaitAsync(SafetyNet, ct));
            Assert.Equal(0, b.OpenConnections);
        }
    }

    [Fact]
    public async Task One_address_cannot_take_more_than_its_share_of_connections()
    {
        var ct = TestContext.Current.CancellationToken;
        using var b = TcpLinkSocket.Listen(Loopback, options: new TcpLinkOptions { MaxConnectionsPerAddress = 2 });
        var opened = 0;
        b.ConnectionOpened = _ => Interlocked.Increment(ref opened);
        b.Start(new Inbox());
        var clients = Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            var outcomes = new List<int>();
            foreach (var client in clients)
            {
                // One at a time, so the listener has adopted each before the next arrives.
                var buffer = new byte[TcpLinkFrameCodec.PreambleLength];
                int read;
                try
                {
                    await client.ConnectAsync(b.LocalEndPoint, ct);
                    read = await client.ReceiveAsync(buffer, SocketFlags.None, ct).AsTask().WaitAsync(SafetyNet, ct);
                }
                catch (SocketException) { read = 0; }   // the reset can come before the connect has even returned
                outcomes.Add(read);   // b's preamble when adopted; end of stream or a reset when refused
            }
            Assert.Equal([TcpLinkFrameCodec.PreambleLength, TcpLinkFrameCodec.PreambleLength, 0], outcomes);
            Assert.Equal(2, Volatile.Read(ref opened));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public void Sending_to_nobody_neither_blocks_nor_throws()
    {
        var (a, _) = Open();
        using (a)
        {
            using var closedPort = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            closedPort.Bind(Loopback);   // bound, not listening: connects are refused
            for (int i = 0; i < 100; i++) a.Send([1, 2, 3], closedPort.LocalEndPoint!);
            a.Send(new byte[TcpLinkFrameCodec.MaxDatagram + 1], closedPort.LocalEndPoint!);
            Assert.Equal(0, a.OpenConnections);
        }
    }
}
