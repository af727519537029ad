// The stateless-cookie handshake: spoofed sources get no state and no amplification; garbage never disturbs live connections.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Core.Transport.Wire;
using P2PChat.NetLab.Transport;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class HandshakeTests
{
    private static readonly IPEndPoint Victim = new(IPAddress.Parse("10.0.9.9"), 53);
    private static readonly IPEndPoint Attacker = new(IPAddress.Parse("10.0.6.6"), 666);

    private static byte[] Initial(ulong clientId, ReadOnlySpan<byte> token)
    {
        var buffer = new byte[1500];
        int length = HandshakeCodec.WriteInitial(buffer, clientId, token);
        return buffer[..length];
    }

    [Fact]
    public void Initials_from_a_spoofed_source_allocate_nothing_and_are_answered_with_fewer_bytes()
    {
        using var sim = new Simulation(new LinkConditions(), seed: 1, clients: 0);
        var victim = new CollectingReceiver();
        sim.Network.CreateSocket(Victim).Start(victim);
        long injected = 0;
        for (ulong id = 1; id <= 200; id++)
        {
            var initial = Initial(id, []);
            sim.Network.Inject(initial, Victim, Simulation.ServerAddress);
            injected += initial.Length;
        }
        sim.Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, sim.Server.ConnectionCount);
        Assert.Equal(200, victim.Received.Count);
        Assert.All(victim.Received, d => Assert.Equal((byte)PacketType.Retry, d[0]));
        Assert.True(victim.Received.Sum(d => d.Length) * 3 < injected, "answers must be far smaller than what was received");
    }

    [Fact]
    public void Without_address_validation_a_first_initial_is_accepted_at_once()
    {
        using var sim = new Simulation(new LinkConditions(), seed: 4, clients: 0, new TransportOptions { ValidateAddresses = false }.WithAesGcm());
        var client = new CollectingReceiver();
        sim.Network.CreateSocket(Victim).Start(client);
        sim.Network.Inject(Initial(9, []), Victim, Simulation.ServerAddress);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, sim.Server.ConnectionCount);
        Assert.True(HandshakeCodec.TryParse(client.Received[0], out var answer));
        Assert.Equal(PacketType.Accept, answer.Type);   // no Retry round trip
        Assert.True(client.Received[0].Length < Initial(9, []).Length, "the answer must be smaller than the Initial");

        sim.Network.Inject(Initial(9, []), Victim, Simulation.ServerAddress);   // a repeated Initial (a raced copy) makes no second connection
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, sim.Server.ConnectionCount);
        Assert.Equal(2, client.Received.Count(d => d[0] == (byte)PacketType.Accept));
        Assert.DoesNotContain(client.Received, d => d[0] == (byte)PacketType.Retry);
    }

    [Fact]
    public void A_cookie_is_bound_to_the_address_it_was_issued_to()
    {
        using var sim = new Simulation(new LinkConditions(), seed: 2, clients: 0);
        var victim = new CollectingReceiver();
        sim.Network.CreateSocket(Victim).Start(victim);
        sim.Network.Inject(Initial(77, []), Victim, Simulation.ServerAddress);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(HandshakeCodec.TryParse(victim.Received.Single(), out var retry));
        var token = retry.Token.ToArray();

        sim.Network.Inject(Initial(77, token), Attacker, Simulation.ServerAddress); // stolen cookie, other address
        var forged = token.ToArray();
        forged[^1] ^= 1;
        sim.Network.Inject(Initial(77, forged), Victim, Simulation.ServerAddress); // tampered cookie
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, sim.Server.ConnectionCount);

        sim.Network.Inject(Initial(77, token), Victim, Simulation.ServerAddress); // the genuine one
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, sim.Server.ConnectionCount);
    }

    [Fact]
    public void An_expired_cookie_creates_nothing()
    {
        using var sim = new Simulation(new LinkConditions(), seed: 3, clients: 0);
        var victim = new CollectingReceiver();
        sim.Network.CreateSocket(Victim).Start(victim);
        sim.Network.Inject(Initial(5, []), Victim, Simulation.ServerAddress);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        HandshakeCodec.TryParse(victim.Received.Single(), out var retry);
        var token = retry.Token.ToArray();
        sim.Clock.Advance(new TransportOptions().CookieLifetime + TimeSpan.FromSeconds(1));
        sim.Network.Inject(Initial(5, token), Victim, Simulation.ServerAddress);
        sim.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, sim.Server.ConnectionCount);
    }

    [Fact]
    public void A_flood_of_garbage_does_not_disturb_a_live_transfer()
    {
        using var sim = new Simulation(new LinkConditions { Delay = TimeSpan.FromMilliseconds(10) }, seed: 4, clients: 1);
        var client = sim.Clients[0].Connect(Simulation.ServerAddress);
        var stream = client.OpenTransportStream();
        var writer = new PatternWriter(stream, 9, 600_000);
        PatternReader? reader = null;
        TransportConnection? server = null;
        var random = new Random(44);
        int garbage = 0;

        bool done = sim.Run(() =>
        {
            writer.Pump();
            server ??= sim.Server.TryAccept();
            if (reader is null && server?.TryAcceptStream() is { } s) reader = new PatternReader(s) { Tag = 9, ExpectedSize = 600_000 };
            reader?.Pump();
            for (int i = 0; i < 20 && garbage < 30_000; i++, garbage++)
            {
                var junk = new byte[random.Next(1, 1400)];
                random.NextBytes(junk);
                if (random.Next(2) == 0) junk[0] = (byte)random.Next(1, 5); // plausible packet types
                if (junk[0] == (byte)PacketType.Data && junk.Length > 9 && server is not null && random.Next(2) == 0)
                    DataPacketLayout.WriteHeader(junk, server.LocalId); // aimed at the live connection
                var from = new IPEndPoint(new IPAddress(random.NextInt64(1, uint.MaxValue)), random.Next(1, 65535));
                sim.Network.Inject(junk, random.Next(4) == 0 ? Simulation.ClientAddress(0) : from, Simulation.ServerAddress);
            }
        }, () => reader?.Ended == true, TimeSpan.FromMinutes(5));

        Assert.True(done);
        Assert.True(garbage > 1000);
        Assert.Equal(1, sim.Server.ConnectionCount);
        Assert.Equal(ConnectionState.Established, client.State);
        Assert.Equal(ConnectionState.Established, server!.State);
    }

    [Fact]
    public void Connecting_to_nobody_fails_with_a_connect_timeout_after_retrying()
    {
        using var sim = new Simulation(new LinkConditions(), seed: 5, clients: 1);
        var nobody = new IPEndPoint(IPAddress.Parse("10.0.7.7"), 1);
        var victim = new CollectingReceiver();
        sim.Network.CreateSocket(nobody).Start(victim);
        var connection = sim.Clients[0].Connect(nobody);
        sim.Clock.Advance(new TransportOptions().ConnectTimeout + TimeSpan.FromSeconds(1));

        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Equal(TransportError.ConnectTimeout, connection.Error);
        Assert.True(connection.Established.IsFaulted);
        Assert.InRange(victim.Received.Count, 5, 15); // 500 ms doubling to 2 s over 15 s
        Assert.All(victim.Received, d => Assert.Equal(HandshakeCodec.MinInitialSize, d.Length));
        Assert.Equal(0, sim.Clients[0].ConnectionCount);
    }

    [Fact]
    public void Datagrams_that_are_not_transport_traffic_go_to_the_foreign_handler_and_can_be_answered()
    {
        var clock = new ManualTimeProvider();
        var network = new InMemoryNetwork(clock, new LinkConditions(), 6);
        var foreign = new List<(byte[] Data, EndPoint From)>();
        var options = new TransportOptions { AcceptIncoming = true, ForeignDatagramHandler = (d, from) => foreign.Add((d.ToArray(), from)) };
        using var endpoint = new UdpTransportEndpoint(network.CreateSocket(Simulation.ServerAddress), options, clock);
        var stunLike = new byte[] { 0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42 };
        var unknownConnection = new byte[40];
        DataPacketLayout.WriteHeader(unknownConnection, 12345);
        network.Inject(stunLike, Attacker, Simulation.ServerAddress);
        network.Inject(unknownConnection, Attacker, Simulation.ServerAddress);
        network.Inject(Initial(1, []), Victim, Simulation.ServerAddress); // transport traffic: not forwarded
        var peer = new CollectingReceiver();
        network.CreateSocket(Attacker).Start(peer);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, foreign.Count);
        Assert.Equal(stunLike, foreign[0].Data);
        Assert.Equal(Attacker, foreign[0].From);
        endpoint.SendForeignDatagram("pong"u8, Attacker);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("pong"u8.ToArray(), Assert.Single(peer.Received));
    }
}
