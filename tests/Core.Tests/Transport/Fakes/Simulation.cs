// A deterministic test bench: manual clock, seeded in-memory network, one accepting endpoint and N client endpoints.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.NetLab.Transport;
using P2PChat.TestSupport;

namespace P2PChat.Core.Tests.Transport;

/// <summary>
/// Everything runs on the test thread: <see cref="Run"/> alternates between the test's pump (non-blocking writes,
/// reads, accepts) and firing the next timer (a datagram delivery or a transport timer), until the test says done.
/// </summary>
internal sealed class Simulation : IDisposable
{
    public static readonly IPEndPoint ServerAddress = new(IPAddress.Parse("10.0.0.1"), 4000);

    public Simulation(LinkConditions conditions, int seed, int clients, TransportOptions? options = null)
    {
        var baseOptions = options ?? new TransportOptions().WithAesGcm();
        Clock = new ManualTimeProvider();
        Network = new InMemoryNetwork(Clock, conditions, seed);
        Server = new UdpTransportEndpoint(Network.CreateSocket(ServerAddress), baseOptions with { AcceptIncoming = true }, Clock);
        Clients = Enumerable.Range(0, clients)
            .Select(i => new UdpTransportEndpoint(Network.CreateSocket(ClientAddress(i)), baseOptions, Clock))
            .ToArray();
    }

    public static IPEndPoint ClientAddress(int index) => new(IPAddress.Parse($"10.0.1.{index + 1}"), 5000);

    public ManualTimeProvider Clock { get; }
    public InMemoryNetwork Network { get; }
    public UdpTransportEndpoint Server { get; }
    public UdpTransportEndpoint[] Clients { get; }

    /// <summary>Returns true when <paramref name="done"/> held before <paramref name="simulatedLimit"/> of simulated time.</summary>
    public bool Run(Action pump, Func<bool> done, TimeSpan simulatedLimit)
    {
        long limit = Clock.GetTimestamp() + simulatedLimit.Ticks;
        while (true)
        {
            pump();
            if (done()) return true;
            if (!Clock.RunNextTimer(limit)) return false;
        }
    }

    public void Dispose()
    {
        foreach (var client in Clients) client.Dispose();
        Server.Dispose();
    }
}
