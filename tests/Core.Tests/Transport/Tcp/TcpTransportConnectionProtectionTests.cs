// Tests of TcpTransportConnection once keyed on loopback: data, datagrams, graceful close and abort all go sealed.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Tcp;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Tcp;

public sealed class TcpTransportConnectionProtectionTests
{
    /// <summary>A generous timeout so that a hang fails the test instead of the whole run.</summary>
    private static CancellationTokenSource SafetyNet()
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        return cts;
    }

    /// <summary>A client and a server connection through a recording proxy, both upgraded to the same keys.</summary>
    private sealed record KeyedPair(TcpTransportListener Listener, TcpFrameProxy Proxy, TcpTransportConnection Client, TcpTransportConnection Server)
        : IAsyncDisposable
    {
        public static async Task<KeyedPair> ConnectAsync(CancellationToken ct)
        {
            var listener = TcpTransportListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var proxy = TcpFrameProxy.Start(listener.LocalEndPoint);
            var accept = listener.AcceptAsync(ct);
            var client = await TcpTransportConnection.ConnectAsync(proxy.LocalEndPoint, ct);
            var server = await accept;
            client.UpgradeProtection(MatchingProtectors.SideA());
            server.UpgradeProtection(MatchingProtectors.SideB());
            return new KeyedPair(listener, proxy, client, server);
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Server.DisposeAsync();
            await Proxy.DisposeAsync();
            Listener.Dispose();
        }
    }

    private static void AssertAllSealed(TcpFrameProxy proxy, bool fromClient)
    {
        var frames = proxy.Frames(fromClient);
        Assert.NotEmpty(frames);
        Assert.All(frames, f => Assert.Equal(TcpFrameCodec.Sealed, f.Type));
    }

    [Fact]
    public async Task Keyed_connections_carry_streams_and_datagrams_and_close_gracefully_under_seal()
    {
        using var cts = SafetyNet();
        var ct = cts.Token;
        await using var pair = await KeyedPair.ConnectAsync(ct);
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

        var datagram = pair.Server.ReceiveDatagramAsync(ct);
        Assert.True(pair.Client.SendDatagram("probe"u8));
        Assert.Equal("probe"u8.ToArray(), (await datagram).ToArray());
        await pair.Client.OpenStream().WriteAsync(payload, ct);
        await pair.Client.CloseAsync(ct);
        var stream = await pair.Server.AcceptStreamAsync(ct);
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0) received.Write(buffer, 0, n);

        Assert.Equal(payload, received.ToArray());
        AssertAllSealed(pair.Proxy, fromClient: true);
        Assert.True(pair.Client.ProtectionSettled is false, "the client has received nothing from the server yet");
        Assert.True(pair.Server.ProtectionSettled);
    }

    [Fact]
    public async Task An_abort_after_the_switch_reaches_the_peer_as_a_sealed_close_not_as_a_violation()
    {
        using var cts = SafetyNet();
        var ct = cts.Token;
        await using var pair = await KeyedPair.ConnectAsync(ct);
        var accepted = pair.Server.AcceptStreamAsync(ct);
        await pair.Client.OpenStream().WriteAsync("before the abort"u8.ToArray(), ct);
        var stream = await accepted;
        Assert.True(await stream.ReadAsync(new byte[64], ct) > 0);

        pair.Client.Abort();

        var error = await Assert.ThrowsAsync<TransportException>(async () => await pair.Server.AcceptStreamAsync(ct));
        Assert.Equal(TransportError.AbortedByPeer, error.Error);
        AssertAllSealed(pair.Proxy, fromClient: true);
    }
}
