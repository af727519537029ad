// The same stream/datagram/close behaviour over real loopback sockets, for the UDP transport and the TCP path alike.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Sockets;

public sealed class LoopbackContractTests
{
    public static TheoryData<string> Paths => new() { "udp", "tcp" };

    /// <summary>Client and server connections over loopback plus whatever must be disposed afterwards.</summary>
    private sealed class Pair(IReliableConnection client, IReliableConnection server, params IDisposable[] owned) : IAsyncDisposable
    {
        public IReliableConnection Client => client;
        public IReliableConnection Server => server;

        public async ValueTask DisposeAsync()
        {
            client.Abort();
            server.Abort();
            await client.DisposeAsync();
            await server.DisposeAsync();
            foreach (var d in owned) d.Dispose();
        }
    }

    private static async Task<Pair> ConnectAsync(string path, CancellationToken ct)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        if (path == "tcp")
        {
            var listener = TcpTransportListener.Bind(loopback);
            var accept = listener.AcceptAsync(ct);
            var client = await TcpTransportConnection.ConnectAsync(listener.LocalEndPoint, ct);
            return new Pair(client, await accept, listener);
        }
        var options = new TransportOptions().WithAesGcm();
        var serverEndpoint = UdpTransportEndpoint.Bind(loopback, options with { AcceptIncoming = true });
        // The client runs over a socket bound beforehand, as NAT traversal hands over its punched socket.
        var punched = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        punched.Bind(loopback);
        var clientEndpoint = UdpTransportEndpoint.Over(punched, options);
        var acceptTask = serverEndpoint.AcceptAsync(ct);
        var connection = await clientEndpoint.ConnectAsync(serverEndpoint.LocalEndPoint, ct);
        return new Pair(connection, await acceptTask, clientEndpoint, serverEndpoint);
    }

    /// <summary>A generous timeout so that a hang fails the test instead of the whole run.</summary>
    private static CancellationTokenSource SafetyNet()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        return cts;
    }

    private static async Task<byte[]> ReadToEndAsync(IReliableStream stream, CancellationToken ct)
    {
        var output = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) output.Write(buffer, 0, n);
        return output.ToArray();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Several_streams_carry_their_bytes_in_order_both_ways(string path)
    {
        using var safety = SafetyNet();
        var ct = safety.Token;
        await using var pair = await ConnectAsync(path, ct);
        var payloads = new[] { 4_000_000, 70_000, 11 }.Select(n => Enumerable.Range(0, n).Select(i => StreamPattern.At(n % 251, i)).ToArray()).ToArray();

        var serverSide = Task.Run(async () =>
        {
            for (int i = 0; i < payloads.Length; i++)
            {
                var stream = await pair.Server.AcceptStreamAsync(ct);
                _ = Task.Run(async () =>
                {
                    var received = await ReadToEndAsync(stream, ct);
                    await stream.WriteAsync(received.Reverse().ToArray(), ct); // echo, reversed
                    stream.CompleteWrites();
                }, ct);
            }
        }, ct);

        var clientTasks = payloads.Select(async payload =>
        {
            var stream = pair.Client.OpenStream();
            await stream.WriteAsync(payload, ct);
            stream.CompleteWrites();
            return (payload, echoed: await ReadToEndAsync(stream, ct));
        }).ToArray();

        foreach (var (payload, echoed) in await Task.WhenAll(clientTasks)) Assert.Equal(payload.Reverse().ToArray(), echoed);
        await serverSide;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Datagrams_reach_the_peer(string path)
    {
        using var safety = SafetyNet();
        var ct = safety.Token;
        await using var pair = await ConnectAsync(path, ct);
        var receive = pair.Server.ReceiveDatagramAsync(ct);
        Assert.True(pair.Client.SendDatagram("probe"u8));
        Assert.Equal("probe"u8.ToArray(), (await receive).ToArray());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Close_delivers_what_was_written_and_the_peer_reads_to_the_end(string path)
    {
        using var safety = SafetyNet();
        var ct = safety.Token;
        await using var pair = await ConnectAsync(path, ct);
        var stream = pair.Client.OpenStream();
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)i).ToArray();
        await stream.WriteAsync(payload, ct);
        await pair.Client.CloseAsync(ct);
        var peer = await pair.Server.AcceptStreamAsync(ct);
        Assert.Equal(payload, await ReadToEndAsync(peer, ct));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Abort_fails_the_peers_reads(string path)
    {
        using var safety = SafetyNet();
        var ct = safety.Token;
        await using var pair = await ConnectAsync(path, ct);
        var stream = pair.Client.OpenStream();
        await stream.WriteAsync(new byte[] { 1 }, ct);
        var peer = await pair.Server.AcceptStreamAsync(ct);
        Assert.Equal(1, await peer.ReadAsync(new byte[10], ct));
        pair.Client.Abort();
        await Assert.ThrowsAsync<TransportException>(async () => await peer.ReadAsync(new byte[10], ct));
    }
}
