// Connection behaviour over the simulated network: close, abort, idle timeout, keepalive, datagrams, flow control, streams.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.Core.Transport.Streams;
using P2PChat.NetLab.Transport;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class ConnectionLifecycleTests
{
    private static readonly LinkConditions Path = new() { Delay = TimeSpan.FromMilliseconds(15), Loss = 0.05, BytesPerSecond = 2_000_000 };

    [Fact]
    public async Task Graceful_close_delivers_everything_queued_then_frees_both_sides()
    {
        using var pair = new ConnectedPair(Path, seed: 11);
        var a = pair.Client.OpenTransportStream();
        var b = pair.Client.OpenTransportStream();
        Assert.Equal(200_000, a.TryWrite(new byte[200_000].Select((_, i) => StreamPattern.At(1, i)).ToArray()));
        Assert.Equal(50_000, b.TryWrite(new byte[50_000].Select((_, i) => StreamPattern.At(2, i)).ToArray()));
        a.CompleteWrites();
        var close = pair.Client.CloseAsync(TestContext.Current.CancellationToken);
        Assert.Throws<TransportException>(() => pair.Client.OpenStream());

        var readers = new List<PatternReader>();
        bool done = pair.Sim.Run(() =>
        {
            while (pair.Server.TryAcceptStream() is { } s)
                readers.Add(new PatternReader(s) { Tag = s.Id == 0 ? 1 : 2, ExpectedSize = s.Id == 0 ? 200_000 : 50_000 });
            readers.ForEach(r => r.Pump());
        }, () => readers.Count == 2 && readers.All(r => r.Ended) && pair.Sim.Server.ConnectionCount == 0 && pair.Sim.Clients[0].ConnectionCount == 0,
            TimeSpan.FromMinutes(2));

        Assert.True(done, $"readers {string.Join(",", readers.Select(r => $"{r.Read}/{r.Ended}"))} client {pair.Client.State} server {pair.Server.State} close {close.Status} counts {pair.Sim.Server.ConnectionCount} {pair.Sim.Clients[0].ConnectionCount}");
        await close.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // its continuation runs on the pool
        Assert.Equal(ConnectionState.Closed, pair.Client.State);
        Assert.Equal(ConnectionState.Closed, pair.Server.State);
        Assert.Equal(TransportError.None, pair.Server.Error);
    }

    [Fact]
    public void Abort_fails_the_peers_pending_reads()
    {
        using var pair = new ConnectedPair(Path, seed: 12);
        var stream = pair.Client.OpenTransportStream();
        stream.TryWrite(new byte[10]);
        TransportStream? peer = null;
        Assert.True(pair.Sim.Run(() => peer ??= pair.Server.TryAcceptStream(), () => peer is not null, TimeSpan.FromSeconds(30)));
        var buffer = new byte[100];
        Assert.True(pair.Sim.Run(() => { }, () => peer!.TryRead(buffer) == 10, TimeSpan.FromSeconds(30)));

        pair.Client.Abort();
        Assert.True(pair.Sim.Run(() => { }, () => pair.Server.State != ConnectionState.Established, TimeSpan.FromSeconds(30)));
        var error = Assert.Throws<TransportException>(() => peer!.TryRead(buffer));
        Assert.Equal(TransportError.AbortedByPeer, error.Error);
        Assert.Throws<TransportException>(() => stream.TryWrite(new byte[1]));
    }

    [Fact]
    public void A_vanished_peer_is_detected_by_the_idle_timeout()
    {
        using var pair = new ConnectedPair(new LinkConditions(), seed: 13);
        pair.Sim.Network.Conditions = new LinkConditions { Loss = 1.0 };
        pair.Sim.Clock.Advance(new TransportOptions().IdleTimeout + TimeSpan.FromSeconds(1));
        Assert.Equal(ConnectionState.Closed, pair.Client.State);
        Assert.Equal(TransportError.IdleTimeout, pair.Client.Error);
        Assert.Equal(TransportError.IdleTimeout, pair.Server.Error);
        Assert.Equal(0, pair.Sim.Server.ConnectionCount);
    }

    [Fact]
    public void Keepalives_keep_an_idle_connection_open_and_never_leave_25_seconds_of_silence()
    {
        var clock = new ManualTimeProvider();
        var network = new InMemoryNetwork(clock, new LinkConditions(), 14);
        var recording = new RecordingSocket(network.CreateSocket(Simulation.ClientAddress(0)), clock);
        using var server = new UdpTransportEndpoint(network.CreateSocket(Simulation.ServerAddress), new TransportOptions { AcceptIncoming = true }, clock);
        using var client = new UdpTransportEndpoint(recording, new TransportOptions(), clock);
        var connection = client.Connect(Simulation.ServerAddress);
        clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(ConnectionState.Established, connection.State);
        Assert.Equal(1, server.ConnectionCount);
        var times = recording.Sent.Select(s => s.At).ToList();
        times.Add(clock.Elapsed);
        var gaps = times.Zip(times.Skip(1), (x, y) => y - x).ToList();
        Assert.True(gaps.Max() <= TimeSpan.FromSeconds(25), $"largest silence {gaps.Max()}");
    }

    [Fact]
    public void Datagrams_arrive_unaltered_at_most_once_even_when_replayed_or_corrupted()
    {
        var clock = new ManualTimeProvider();
        var network = new InMemoryNetwork(clock, new LinkConditions { Corrupt = 0.3, Duplicate = 0.2 }, 15);
        var recording = new RecordingSocket(network.CreateSocket(Simulation.ClientAddress(0)), clock);
        var options = new TransportOptions().WithAesGcm();
        using var server = new UdpTransportEndpoint(network.CreateSocket(Simulation.ServerAddress), options with { AcceptIncoming = true }, clock);
        using var client = new UdpTransportEndpoint(recording, options, clock);
        var connection = client.Connect(Simulation.ServerAddress);
        TransportConnection? accepted = null;
        while (accepted is null || connection.State != ConnectionState.Established)
        {
            Assert.True(clock.RunNextTimer());
            accepted ??= server.TryAccept();
        }

        for (int i = 0; i < 200; i++) Assert.True(connection.SendDatagram(BitConverter.GetBytes(i * 7919)));
        clock.Advance(TimeSpan.FromSeconds(1));
        foreach (var (_, data, to) in recording.Sent.ToArray()) network.Inject(data, Simulation.ClientAddress(0), to); // replay everything
        clock.Advance(TimeSpan.FromSeconds(1));

        var received = new List<int>();
        while (accepted.TryReceiveDatagram() is { } datagram) received.Add(BitConverter.ToInt32(datagram));
        Assert.NotEmpty(received);
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.All(received, v => Assert.True(v % 7919 == 0 && v / 7919 is >= 0 and < 200));
    }

    [Fact]
    public void A_reader_that_does_not_read_stops_the_sender_at_the_flow_control_window()
    {
        var options = new TransportOptions { StreamReceiveWindow = 64 * 1024, ConnectionReceiveWindow = 96 * 1024 }.WithAesGcm();
        using var pair = new ConnectedPair(new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) }, seed: 16, options);
        var first = pair.Client.OpenTransportStream();
        var second = pair.Client.OpenTransportStream();
        var w1 = new PatternWriter(first, 1, 1_000_000);
        var w2 = new PatternWriter(second, 2, 1_000_000);
        pair.Sim.Run(() => { w1.Pump(); w2.Pump(); }, () => false, TimeSpan.FromSeconds(20));

        long sent = first.SentOffset + second.SentOffset;
        Assert.True(sent <= FlowControlDefaults.InitialConnectionWindow, $"sent {sent}");
        Assert.True(first.SentOffset <= FlowControlDefaults.InitialStreamWindow);
        Assert.True(sent > 0);

        var readers = new List<PatternReader>();
        bool done = pair.Sim.Run(() =>
        {
            w1.Pump();
            w2.Pump();
            while (pair.Server.TryAcceptStream() is { } s) readers.Add(new PatternReader(s) { Tag = s.Id == 0 ? 1 : 2, ExpectedSize = 1_000_000 });
            readers.ForEach(r => r.Pump());
            Assert.All(readers, r => Assert.True(r.Stream.HighestReceived - r.Stream.ReceiveBuffer.ReadOffset <= 64 * 1024 + FlowControlDefaults.InitialStreamWindow));
        }, () => readers.Count == 2 && readers.All(r => r.Ended), TimeSpan.FromMinutes(2));
        Assert.True(done);
    }

    [Fact]
    public void Chat_on_one_stream_is_not_held_behind_a_bulk_transfer_on_another()
    {
        using var pair = new ConnectedPair(Path, seed: 17);
        var bulk = pair.Client.OpenTransportStream();
        var chat = pair.Client.OpenTransportStream();
        var bulkWriter = new PatternWriter(bulk, 1, 3_000_000);
        PatternReader? bulkReader = null, chatReader = null;
        bool chatSent = false;
        long bulkReadWhenChatArrived = -1;

        bool done = pair.Sim.Run(() =>
        {
            bulkWriter.Pump();
            while (pair.Server.TryAcceptStream() is { } s)
            {
                if (s.Id == bulk.Id) bulkReader = new PatternReader(s) { Tag = 1, ExpectedSize = 3_000_000 };
                else chatReader = new PatternReader(s) { Tag = 2, ExpectedSize = 100 };
            }
            bulkReader?.Pump();
            if (!chatSent && bulkReader?.Read > 300_000)
            {
                chatSent = true;
                new PatternWriter(chat, 2, 100).Pump();
            }
            chatReader?.Pump();
            if (chatReader?.Ended == true && bulkReadWhenChatArrived < 0) bulkReadWhenChatArrived = bulkReader!.Read;
        }, () => bulkReader?.Ended == true && chatReader?.Ended == true, TimeSpan.FromMinutes(5));

        Assert.True(done);
        // The chat message overtook the megabytes of bulk data queued before it.
        Assert.InRange(bulkReadWhenChatArrived, 300_000, 1_500_000);
    }

    [Fact]
    public void A_peer_opening_too_many_streams_is_cut_off()
    {
        using var pair = new ConnectedPair(new LinkConditions { Delay = TimeSpan.FromMilliseconds(5) }, seed: 18);
        for (int i = 0; i <= TransportConnection.MaxOpenPeerStreams; i++) pair.Client.OpenTransportStream().TryWrite(new byte[1]);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Server.State != ConnectionState.Established, TimeSpan.FromMinutes(1)));
        Assert.Equal(TransportError.ProtocolViolation, pair.Server.Error);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.State != ConnectionState.Established, TimeSpan.FromMinutes(1)));
        Assert.Equal(TransportError.AbortedByPeer, pair.Client.Error);
    }
}
