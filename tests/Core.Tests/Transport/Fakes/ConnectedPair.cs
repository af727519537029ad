// A Simulation with one established client/server connection pair, for lifecycle tests.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

internal sealed class ConnectedPair : IDisposable
{
    public ConnectedPair(LinkConditions conditions, int seed, TransportOptions? options = null)
    {
        Sim = new Simulation(conditions, seed, clients: 1, options);
        Client = Sim.Clients[0].Connect(Simulation.ServerAddress);
        TransportConnection? server = null;
        Assert.True(Sim.Run(() => server ??= Sim.Server.TryAccept(), () => server is not null && Client.State == ConnectionState.Established,
            TimeSpan.FromMinutes(1)));
        Server = server!;
    }

    public Simulation Sim { get; }
    public TransportConnection Client { get; }
    public TransportConnection Server { get; }

    public void Dispose() => Sim.Dispose();
}
