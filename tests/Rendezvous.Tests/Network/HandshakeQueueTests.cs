// TLS handshakes run a bounded number at a time, in arrival order: a burst is served in turn, a connection that sends
// nothing never takes a slot, a stalled one gives its slot back at the handshake timeout, and queueing is not the client's time.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Protocol;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Network;

public sealed class HandshakeQueueTests
{
    [Fact]
    public async Task A_burst_larger_than_the_handshake_slots_is_served_in_turn()
    {
        await using var server = await TestServer.StartAsync(o => (o.MaxConcurrentHandshakes, o.MaxConnectionsPerAddress, o.MaxUnauthenticatedPerAddress) = (1, 100, 100));
        for (var i = 0; i < 12; i++) await server.RegisteredAsync($"user{i:D2}");
        var clients = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var c = await server.ConnectAsync();
            await c.SignInAsync($"user{i:D2}");
            return c;
        }));
        try
        {
            Assert.Equal(12, server.Server.Hub.OnlineCount);
            Assert.Equal("0", server.Server.Counters.Report().Single(c => c.Name == "handshake_failures").Value);
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Silent_connections_take_no_handshake_slot_and_a_stalled_handshake_gives_its_slot_back_at_the_timeout()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o =>
            (o.MaxConcurrentHandshakes, o.HandshakeTimeoutSeconds, o.SignInDeadlineSeconds, o.HeartbeatTimeoutSeconds) = (1, 15, 30, 24 * 3600), clock);
        await server.RegisteredAsync("alice");
        using var silent1 = await RawConnectAsync(server);
        using var silent2 = await RawConnectAsync(server);
        // Connected and sending nothing: the one slot is still free for a real client.
        await using (var first = await server.ConnectAsync()) await first.SignInAsync("alice");

        // A client that starts a TLS record and stalls holds the slot; the next client waits for it in the queue.
        using var stalled = await RawConnectAsync(server);
        await stalled.SendAsync(new byte[] { 0x16 }, SocketFlags.None, TestClient.Ct);
        Assert.True(SpinWait.SpinUntil(() => server.Server.HandshakesRunning == 1, TestClient.Patience), "the stalled handshake never started");
        var waiting = server.ConnectAsync();
        Assert.True(SpinWait.SpinUntil(() => server.Server.HandshakesWaiting == 1, TestClient.Patience), "the next client never queued");
        clock.Advance(TimeSpan.FromSeconds(15));       // the stalled handshake (and the silent ones) time out
        await ReadToEndAsync(stalled);
        await using var second = await waiting;
        // 15 s (of the clock) after its TCP accept it is through TLS; the sign-in deadline counts from there.
        clock.Advance(TimeSpan.FromSeconds(20));
        await second.SignInAsync("alice");
        Assert.DoesNotContain(second.Received, f => f is P2PChat.Core.Protocol.Frames.Status { Code: StatusCode.Timeout });
    }

    private static async Task<Socket> RawConnectAsync(TestServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Endpoint, TestClient.Ct);
        return socket;
    }

    private static async Task ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, TestClient.Ct) > 0) { }
        }
        catch (SocketException) { }
    }
}
