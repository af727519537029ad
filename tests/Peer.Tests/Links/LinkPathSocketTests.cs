// A link's transport keeps its connection while the path under it moves from the relay to a direct UDP path (and the
// relay then dies): every message arrives once, in order.
using System.Net;
using System.Text;
using System.Threading.Channels;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class LinkPathSocketTests
{
    private static readonly EndPoint Virtual = new IPEndPoint(IPAddress.Any, 1);

    /// <summary>An in-memory relay: packets queue and are delivered by a pump (never inside Send, as over TLS).</summary>
    private sealed class FakeRelay : IAsyncDisposable
    {
        private readonly Channel<(LinkPathSocket To, byte[] Packet)> _queue = Channel.CreateUnbounded<(LinkPathSocket, byte[])>();
        private readonly Task _pump;
        public volatile bool Dead;

        public FakeRelay() => _pump = Task.Run(async () =>
        {
            await foreach (var (to, packet) in _queue.Reader.ReadAllAsync()) if (!Dead) to.OnRelayed(packet);
        });

        public Action<ReadOnlyMemory<byte>> To(Func<LinkPathSocket> target) => packet => _queue.Writer.TryWrite((target(), packet.ToArray()));

        public async ValueTask DisposeAsync()
        {
            _queue.Writer.TryComplete();
            await _pump;
        }
    }

    /// <summary>A loopback UDP socket that hands everything it receives to one path socket's direct side.</summary>
    private sealed class DirectEnd(LinkPathSocket path) : IDatagramReceiver
    {
        public UdpDatagramSocket Socket { get; } = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        public void OnDatagram(Span<byte> datagram, EndPoint remote) => path.OnDirect(datagram);
        public void OnBatchEnd() { }
    }

    [Fact]
    public async Task Messages_sent_across_the_switch_from_relay_to_direct_arrive_once_and_in_order_even_when_the_relay_then_dies()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var relay = new FakeRelay();
        LinkPathSocket a = null!, b = null!;
        a = new LinkPathSocket(Virtual, relay.To(() => b), TimeProvider.System);
        b = new LinkPathSocket(Virtual, relay.To(() => a), TimeProvider.System);
        var directA = new DirectEnd(a);
        var directB = new DirectEnd(b);
        directA.Socket.Start(directA);
        directB.Socket.Start(directB);
        await using var client = new UdpTransportEndpoint(a, new TransportOptions());
        await using var server = new UdpTransportEndpoint(b, new TransportOptions { AcceptIncoming = true });

        var accepting = server.AcceptAsync(ct).AsTask();
        var connection = await client.ConnectAsync(Virtual, ct);
        var accepted = await accepting;
        var stream = connection.OpenStream();

        const int Count = 1000;
        var received = ReadLinesAsync(accepted, Count, ct);
        for (var i = 0; i < Count; i++)
        {
            if (i == 300)
            {
                a.UseDirect(directA.Socket, directB.Socket.LocalEndPoint);
                b.UseDirect(directB.Socket, directA.Socket.LocalEndPoint);
            }
            if (i == 600) relay.Dead = true;
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"message {i}\n"), ct);
        }
        var lines = await received.WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"message {i}"), lines);
        Assert.Equal(directB.Socket.LocalEndPoint, a.DirectRemote);
        directA.Socket.Dispose();
        directB.Socket.Dispose();
    }

    private static async Task<List<string>> ReadLinesAsync(TransportConnection connection, int count, CancellationToken ct)
    {
        var stream = await connection.AcceptStreamAsync(ct);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (text.ToString().Count(c => c == '\n') < count)
        {
            int n = await stream.ReadAsync(buffer, ct);
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public void Falling_back_sends_through_the_relay_again()
    {
        var relayed = new List<byte[]>();
        using var path = new LinkPathSocket(Virtual, p => relayed.Add(p.ToArray()), TimeProvider.System);
        using var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        path.UseDirect(socket, new IPEndPoint(IPAddress.Loopback, 9));
        path.UseRelay();
        path.Send([1, 2, 3], Virtual);
        Assert.Equal([1, 2, 3], Assert.Single(relayed));
        Assert.Null(path.DirectRemote);
    }
}
