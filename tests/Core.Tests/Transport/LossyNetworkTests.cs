// Exactly-once, in-order delivery over a seeded lossy in-memory network, many streams and connections at once.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class LossyNetworkTests(ITestOutputHelper output)
{
    private const int Connections = 3;
    private const int StreamsPerConnection = 3;

    private static long RequestSize(int c, int s) => new long[] { 1_000_000, 100_000, 300 }[s] + c * 1000;
    private static long ResponseSize(int c, int s) => new long[] { 50_000, 400_000, 0 }[s] + c * 500;
    private static int RequestTag(int c, int s) => c * 10 + s;
    private static int ResponseTag(int c, int s) => 100 + c * 10 + s;

    [Theory]
    [InlineData(0.00, 101)]
    [InlineData(0.05, 102)]
    [InlineData(0.15, 103)]
    [InlineData(0.30, 104)]
    public void Every_byte_on_every_stream_arrives_exactly_once_and_in_order(double loss, int seed)
    {
        var conditions = new LinkConditions
        {
            Loss = loss, Duplicate = 0.03, Reorder = 0.05, Corrupt = 0.02,
            Delay = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(5),
            BytesPerSecond = 4_000_000, MaxQueueDelay = TimeSpan.FromMilliseconds(60),
        };
        var options = new TransportOptions { ConnectTimeout = TimeSpan.FromMinutes(2) }.WithAesGcm();
        using var sim = new Simulation(conditions, seed, Connections, options);

        var clientWriters = new List<PatternWriter>();
        var clientReaders = new List<PatternReader>();
        var serverWriters = new List<PatternWriter>();
        var serverReaders = new List<PatternReader>();
        var serverConnections = new List<TransportConnection>();

        for (int c = 0; c < Connections; c++)
        {
            var connection = sim.Clients[c].Connect(Simulation.ServerAddress);
            for (int s = 0; s < StreamsPerConnection; s++)
            {
                var stream = connection.OpenTransportStream();
                clientWriters.Add(new PatternWriter(stream, RequestTag(c, s), RequestSize(c, s), prefix: (byte)c));
                clientReaders.Add(new PatternReader(stream) { Tag = ResponseTag(c, s), ExpectedSize = ResponseSize(c, s) });
            }
        }

        void Pump()
        {
            while (sim.Server.TryAccept() is { } accepted) serverConnections.Add(accepted);
            foreach (var connection in serverConnections)
            {
                while (connection.TryAcceptStream() is { } stream)
                {
                    int s = (int)(stream.Id / 2);
                    PatternReader? reader = null;
                    reader = new PatternReader(stream)
                    {
                        OnFirstByte = prefix =>
                        {
                            int c = prefix;
                            reader!.ExpectedSize = RequestSize(c, s);
                            serverWriters.Add(new PatternWriter(stream, ResponseTag(c, s), ResponseSize(c, s)));
                            return RequestTag(c, s);
                        },
                    };
                    serverReaders.Add(reader);
                }
            }
            foreach (var w in clientWriters) w.Pump();
            foreach (var r in serverReaders) r.Pump();
            foreach (var w in serverWriters.ToArray()) w.Pump();
            foreach (var r in clientReaders) r.Pump();
        }

        bool Done() => clientReaders.All(r => r.Ended) && serverReaders.Count == Connections * StreamsPerConnection && serverReaders.All(r => r.Ended);

        bool finished = sim.Run(Pump, Done, TimeSpan.FromMinutes(30));

        output.WriteLine($"simulated {sim.Clock.Elapsed}, datagrams sent {sim.Network.Sent}, dropped {sim.Network.Dropped}, " +
                         $"bottleneck drops {sim.Network.DroppedAtBottleneck}, delivered {sim.Network.Delivered}");
        Assert.True(finished, $"not finished after {sim.Clock.Elapsed}: client reads {string.Join(",", clientReaders.Select(r => r.Read))}, server reads {string.Join(",", serverReaders.Select(r => r.Read))}");
        Assert.Equal(Connections, serverConnections.Count);
        Assert.All(serverReaders, r => Assert.Equal(r.ExpectedSize, r.Read));
        Assert.All(clientReaders, r => Assert.Equal(r.ExpectedSize, r.Read));

        // Once the last acknowledgements are in, every stream is finished both ways and its state is freed.
        sim.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.All(serverConnections, c => Assert.Equal(0, c.StreamCount));
    }
}
