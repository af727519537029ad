// Both transport paths between two network namespaces over a link shaped like tc netem (delay, jitter, loss, reordering).
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;
using P2PChat.NetLab.Emulation;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Sockets;

public sealed class NetemNamespaceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Streams_arrive_intact_across_a_lossy_reordering_link_between_namespaces(string path)
    {
        NetworkNamespacePair.RequireRoot();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(90));
        var ct = cts.Token;
        var impairment = new LinkImpairment
        {
            Delay = TimeSpan.FromMilliseconds(15), Jitter = TimeSpan.FromMilliseconds(3), Loss = 0.03, Duplicate = 0.01, Reorder = 0.05,
        };
        using var link = NetworkNamespacePair.Create(impairment, seed: 7);
        output.WriteLine($"link: {link.Mode}, {impairment.ToNetem()}");
        var (connection, peer, owners) = await ConnectAsync(link, path, ct);
        await using var cleanup = owners;
        var sizes = new[] { 800_000, 200_000, 40 };

        var serverSide = Task.WhenAll(sizes.Select(async _ =>
        {
            var stream = await peer.AcceptStreamAsync(ct);
            var received = new MemoryStream();
            var buffer = new byte[32 * 1024];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0) received.Write(buffer, 0, n);
            await stream.WriteAsync(BitConverter.GetBytes(received.Length), ct);
            stream.CompleteWrites();
            return received.ToArray();
        }));

        var clientSide = sizes.Select(async size =>
        {
            var stream = connection.OpenStream();
            var payload = Enumerable.Range(0, size).Select(i => StreamPattern.At(size % 200, i)).ToArray();
            await stream.WriteAsync(payload, ct);
            stream.CompleteWrites();
            var reply = new byte[8];
            int got = 0;
            while (got < 8) got += await stream.ReadAsync(reply.AsMemory(got), ct);
            Assert.Equal(size, BitConverter.ToInt64(reply));
            return payload;
        }).ToArray();

        var sent = await Task.WhenAll(clientSide);
        var received = await serverSide;
        Assert.Equal(sent.Select(p => p.Length).Order(), received.Select(r => r.Length).Order());
        foreach (var payload in sent) Assert.Contains(received, r => r.AsSpan().SequenceEqual(payload));
        await connection.CloseAsync(ct);
    }

    /// <summary>Disposes what a path needed (endpoints or connections) at the end of the test.</summary>
    private sealed class Owners(params IAsyncDisposable[] owned) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var o in owned) await o.DisposeAsync();
        }
    }

    private static async Task<(IReliableConnection Client, IReliableConnection Server, Owners Owners)> ConnectAsync(
        NetworkNamespacePair link, string path, CancellationToken ct)
    {
        var serverAddress = new IPEndPoint(link.AddressB, 7000);
        if (path == "tcp")
        {
            using var listener = link.CreateTcp(inA: false, port: 7000);
            var clientSocket = link.CreateTcp(inA: true, port: 0);
            var accepted = listener.AcceptAsync(ct);
            await clientSocket.ConnectAsync(serverAddress, ct);
            var tcpClient = new TcpTransportConnection(clientSocket, ConnectionRole.Client);
            var tcpServer = new TcpTransportConnection(await accepted, ConnectionRole.Server);
            return (tcpClient, tcpServer, new Owners(tcpClient, tcpServer));
        }
        var options = new TransportOptions().WithAesGcm();
        var server = UdpTransportEndpoint.Over(link.BindUdp(inA: false, port: 7000), options with { AcceptIncoming = true });
        var client = UdpTransportEndpoint.Over(link.BindUdp(inA: true, port: 7001), options);
        var accept = server.AcceptAsync(ct);
        var connection = await client.ConnectAsync(serverAddress, ct);
        return (connection, await accept, new Owners(client, server));
    }
}
