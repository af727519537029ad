// STUN and transport traffic sharing one real UDP socket on loopback: each reaches its own handler.
using System.Net;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using Xunit;

namespace P2PChat.Core.Tests.Nat;

public sealed class StunDemultiplexerTests
{
    [Fact]
    public async Task A_transport_connection_and_STUN_discovery_share_one_socket()
    {
        var ct = TestContext.Current.CancellationToken;
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        using var stunServer = new LoopbackStunServer(UdpDatagramSocket.Bind(loopback));
        var sharedSocket = new StunDemultiplexer(UdpDatagramSocket.Bind(loopback));
        var stun = new StunClient(sharedSocket);
        await using var client = new UdpTransportEndpoint(sharedSocket);
        await using var server = UdpTransportEndpoint.Bind(loopback, new TransportOptions { AcceptIncoming = true });

        var accept = server.AcceptAsync(ct);
        var bind = stun.BindAsync(stunServer.EndPoint, ct);
        await using var connection = await client.ConnectAsync(server.LocalEndPoint, ct);
        await using var accepted = await accept;
        var stream = connection.OpenStream();
        await stream.WriteAsync("hello"u8.ToArray(), ct);
        stream.CompleteWrites();
        var peerStream = await accepted.AcceptStreamAsync(ct);
        var buffer = new byte[16];
        int n = await peerStream.ReadAsync(buffer, ct);

        var result = await bind;
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(sharedSocket.LocalEndPoint, result.Reflexive);
        Assert.True(sharedSocket.StunDatagrams >= 1);
        Assert.True(sharedSocket.TransportDatagrams >= 1);
    }

    /// <summary>Answers Binding requests with Core's responder, like the rendezvous server's listener.</summary>
    private sealed class LoopbackStunServer : IDatagramReceiver, IDisposable
    {
        private readonly UdpDatagramSocket _socket;
        private readonly byte[] _answer = new byte[StunWriter.LargestAnswer];

        public LoopbackStunServer(UdpDatagramSocket socket)
        {
            _socket = socket;
            socket.Start(this);
        }

        public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint;

        public void OnDatagram(Span<byte> datagram, EndPoint remote)
        {
            int n = StunResponder.Answer(datagram, (IPEndPoint)remote, _answer, out _);
            if (n > 0) _socket.Send(_answer.AsSpan(0, n), remote);
        }

        public void OnBatchEnd() { }
        public void Dispose() => _socket.Dispose();
    }
}
