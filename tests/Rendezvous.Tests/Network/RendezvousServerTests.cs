// The connection layer: bad frames close only their own connection with a reason, version agreement, the
// connection cap, dead connections, slow readers and shutdown.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Network;

public sealed class RendezvousServerTests
{
    public static TheoryData<string> BadInputs => ["unknown opcode", "bad payload", "oversized", "before hello", "before sign-in", "truncated"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_closes_only_that_connection_with_its_code(string input)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        await using var culprit = await server.ConnectAsync(hello: input != "before hello");
        if (input == "before sign-in") Assert.Equal(StatusCode.Registered, (await culprit.RegisterAsync("mallory")).Code);

        var expected = input switch
        {
            "oversized" => StatusCode.FrameTooLarge,
            "before sign-in" => StatusCode.PleaseAuth,
            _ => StatusCode.MalformedFrame,
        };
        switch (input)
        {
            case "unknown opcode": await culprit.SendRawAsync([0, 0, 0, 1, 0x7F]); break;
            case "bad payload": await culprit.SendRawAsync([0, 0, 0, 3, (byte)Opcode.Ping, 1, 2]); break;
            case "oversized": await culprit.SendRawAsync(Header(65_537, Opcode.Msg)); break;
            case "before hello": await culprit.SendAsync(new Iam("alice", "password1")); break;
            case "before sign-in": await culprit.SendAsync(new MsgSend(alice.Tag, "hi"u8.ToArray(), 1, 0)); break;
            case "truncated":
                await culprit.SendRawAsync([.. Header(20, Opcode.Ping), 1, 2, 3]);
                await culprit.ShutdownWritesAsync();
                break;
        }
        var status = await culprit.ExpectClosedWithAsync(expected);
        if (expected == StatusCode.FrameTooLarge) Assert.Equal(65_536u, status.Value);

        await alice.MessageAsync(bob.Tag, "still here");
        Assert.Equal("still here", TestClient.Text(await bob.ExpectAsync<MsgDeliver>()));
    }

    [Fact]
    public async Task Versions_that_do_not_meet_get_code_19()
    {
        await using var server = await TestServer.StartAsync();
        await using var c = await server.ConnectAsync(hello: false);
        await c.SendAsync(new Hello(2, 5, "future"));
        Assert.Equal((uint)ProtocolVersion.Max, (await c.ExpectClosedWithAsync(StatusCode.UnsupportedVersion)).Value);
    }

    [Fact]
    public async Task Hello_agrees_the_version_and_announces_the_heartbeat()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatIntervalSeconds = 7, clock);
        await using var c = await server.ConnectAsync(hello: false);
        await c.SendAsync(new Hello(1, 9, "tests"));
        var hello = await c.ExpectAsync<HelloOk>();
        Assert.Equal((1, 7000u, clock.GetUtcNow().ToUnixTimeMilliseconds()), (hello.Version, hello.HeartbeatMs, hello.ServerTimeMs));
    }

    [Fact]
    public async Task Signed_in_connections_beyond_the_per_address_cap_get_code_26()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxConnectionsPerAddress = 2);
        await using var first = await server.SignedInAsync("alice");
        await using var second = await server.SignedInAsync("bob");
        await server.RegisteredAsync("carol");
        await using var third = await server.ConnectAsync();
        await third.SendAsync(new Iam("carol", "password1"));
        await third.ExpectClosedWithAsync(StatusCode.TooManyConnections);
        await using var elsewhere = await server.ConnectAsync(from: IPAddress.Parse("127.0.0.2"));
        await elsewhere.SignInAsync("carol");        // another address has its own slots
        await second.SyncAsync();                    // the two admitted ones work
    }

    [Fact]
    public async Task Silent_tcp_connections_are_refused_before_tls_over_the_cap_and_never_lock_signed_in_users_out()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o =>
            (o.MaxUnauthenticatedPerAddress, o.MaxConnectionsPerAddress, o.HeartbeatTimeoutSeconds) = (3, 8, 24 * 3600), clock);
        // Registered from another address: the server may still be releasing that connection's slot when the test goes on.
        await server.RegisteredAsync("alice", from: IPAddress.Parse("127.0.0.9"));
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++) silent.Add(await RawConnectAsync(server, IPAddress.Loopback));
            // Accepts are handled in order: once this later connection is through TLS, the silent ones were admitted.
            await using (var other = await server.ConnectAsync(from: IPAddress.Parse("127.0.0.2"))) await other.SignInAsync("alice");
            Assert.Equal(3, server.Server.Admission.Unauthenticated);
            // Over the cap: no TLS handshake at all (before issue 13 it completed TLS, then got STATUS 26).
            await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(hello: false));

            clock.Advance(TimeSpan.FromSeconds(server.Options.HandshakeTimeoutSeconds));   // the TLS handshake timeout
            foreach (var s in silent) await ReadToEndAsync(s);                           // each closed by the server
            silent.ForEach(s => s.Dispose());
            silent.Clear();
            await using var alice = await server.ConnectAsync();                          // the address is free again
            await alice.SignInAsync("alice");
            // Signed in, it no longer counts as unauthenticated: three more may connect from the same address.
            for (var i = 0; i < 2; i++) silent.Add(await RawConnectAsync(server, IPAddress.Loopback));
            await using var third = await server.ConnectAsync();
            await third.SyncAsync();
            await alice.SyncAsync();
        }
        finally
        {
            foreach (var s in silent) s.Dispose();
        }
    }

    [Fact]
    public async Task The_global_cap_on_unauthenticated_connections_refuses_before_tls()
    {
        await using var server = await TestServer.StartAsync(o => (o.MaxUnauthenticatedConnections, o.MaxUnauthenticatedPerAddress) = (3, 16));
        using var a = await RawConnectAsync(server, IPAddress.Parse("127.0.0.3"));
        using var b = await RawConnectAsync(server, IPAddress.Parse("127.0.0.4"));
        await using var c = await server.ConnectAsync(from: IPAddress.Parse("127.0.0.6"));    // the third: admitted
        await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(hello: false, from: IPAddress.Parse("127.0.0.5")));
        await c.SyncAsync();
    }

    [Fact]
    public async Task A_connection_that_only_pings_is_closed_at_the_sign_in_deadline()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => (o.SignInDeadlineSeconds, o.HeartbeatTimeoutSeconds) = (30, 24 * 3600), clock);
        await using var idle = await server.ConnectAsync();
        await using var user = await server.SignedInAsync("alice");
        clock.Advance(TimeSpan.FromSeconds(29));
        await idle.SyncAsync();                                   // PINGs keep it alive, but do not sign it in
        clock.Advance(TimeSpan.FromSeconds(1));
        var closed = await idle.ExpectClosedWithAsync(StatusCode.Timeout);
        Assert.Equal(30u, closed.Value);
        await user.SyncAsync();                                   // signed in in time: unaffected
    }

    private static async Task<Socket> RawConnectAsync(TestServer server, IPAddress from)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(server.Endpoint, TestClient.Ct);
        return socket;
    }

    /// <summary>Reads until the server closes the connection (an orderly close or a reset).</summary>
    private static async Task ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[256];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, TestClient.Ct) > 0) { }
        }
        catch (SocketException) { }
    }


    [Fact]
    public async Task A_silent_connection_is_closed_and_its_user_goes_offline()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 30, clock);
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        clock.Advance(TimeSpan.FromSeconds(20));
        await bob.SyncAsync();                       // bob's PING counts as life
        clock.Advance(TimeSpan.FromSeconds(10));     // alice: 30 s of silence
        await alice.ExpectClosedWithAsync(StatusCode.Timeout);
        await bob.ExpectOfflineAsync(alice.Tag);
        clock.Advance(TimeSpan.FromSeconds(19));     // bob: 29 s since his PING
        await bob.SyncAsync();
    }

    [Fact]
    public async Task A_client_that_does_not_read_is_dropped_without_stalling_others()
    {
        await using var server = await TestServer.StartAsync(o => { o.SendQueueCapacity = 8; o.MaxCommandsPerWindow = 1_000_000; });
        await using var sender = await server.SignedInAsync("sender");
        await using var sleeper = await server.SignedInAsync("sleeper");   // never reads again
        var payload = new string('x', 16 * 1024);
        MsgAck ack;
        var sent = 0;
        do
        {
            ack = await sender.MessageAsync(sleeper.Tag, payload);
            Assert.True(++sent < 100_000, "the sleeper was never dropped");
        }
        while (!ack.Flags.HasFlag(MessageFlags.Offline));                 // once dropped, PMs are stored instead
        // The sleeper's going offline is fanned out when its session has ended, which may be after that MSG_ACK:
        // it may be among what the sender has read already, or still to come.
        if (!sender.Received.Any(f => f is PresenceUpdate { Presence: Presence.Offline } p && p.User == sleeper.Tag))
            await sender.ExpectAsync<PresenceUpdate>(p => p.User == sleeper.Tag && p.Presence == Presence.Offline);
    }

    [Fact]
    public async Task Stopping_the_server_sends_code_27_to_every_session()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.SignedInAsync("alice");
        await using var anonymous = await server.ConnectAsync();
        await server.Server.StopAsync(TestClient.Ct);
        await alice.ExpectClosedWithAsync(StatusCode.ServerShuttingDown);
        await anonymous.ExpectClosedWithAsync(StatusCode.ServerShuttingDown);
    }

    private static byte[] Header(uint length, Opcode opcode)
    {
        var header = new byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        header[4] = (byte)opcode;
        return header;
    }
}
