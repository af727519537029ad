// A ready-made simulated topology: two STUN servers (two ports on one address, one on another) and a host behind a NAT.
using System.Net;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;
using P2PChat.TestSupport;

namespace P2PChat.NetLab.Sim;

/// <summary>
/// Addresses (in memory only): STUN at 203.0.113.10:3478, 203.0.113.10:3479 and 203.0.113.20:3478; NAT public
/// 192.0.2.1 with gateway 192.168.1.1; the host at 192.168.1.10:5000 (or a public host at 198.51.100.5:5000 when
/// there is no NAT).
/// </summary>
public sealed class LabScenario : IDisposable
{
    public static readonly IPEndPoint StunA1 = IPEndPoint.Parse("203.0.113.10:3478");
    public static readonly IPEndPoint StunA2 = IPEndPoint.Parse("203.0.113.10:3479");
    public static readonly IPEndPoint StunB = IPEndPoint.Parse("203.0.113.20:3478");
    public static readonly IPAddress NatPublic = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress Gateway = IPAddress.Parse("192.168.1.1");
    public static readonly IPEndPoint HostLocal = IPEndPoint.Parse("192.168.1.10:5000");
    public static readonly IPEndPoint PublicHost = IPEndPoint.Parse("198.51.100.5:5000");

    public LabScenario(NatBehaviour? behaviour, int seed = 1)
    {
        Network = new LabNetwork(Time, seed: seed);
        Servers = [new(Network, StunA1), new(Network, StunA2), new(Network, StunB)];
        Nat = behaviour is null ? null : Network.AddNat(NatPublic, Gateway, behaviour);
        Socket = Network.Bind(Nat is null ? PublicHost : HostLocal, Nat);
        Demux = new StunDemultiplexer(Socket);
        Client = new StunClient(Demux, Time, log: Log.Add);
        if (Nat is not null) Router = new FakeRouter(Nat, Time);
    }

    /// <summary>The NAT's router services (null without a NAT).</summary>
    public FakeRouter? Router { get; }

    private int _nextPort = 6000;

    /// <summary>Fresh sockets on the host, as the port-mapping leaves want them.</summary>
    public IDatagramSocket NewHostSocket() => Network.Bind(new IPEndPoint(Socket.Local.Address, _nextPort++), Nat);

    /// <summary>The three leaves in the default order, wired to this scenario's gateway, sockets and fake HTTP.</summary>
    public IReadOnlyList<IPortMapper> Mappers() =>
    [
        new UpnpMapper(Gateway, HostLocal.Address, NewHostSocket, Router!, Time, Log.Add),
        new PcpMapper(Gateway, HostLocal.Address, NewHostSocket, Time, log: Log.Add),
        new NatPmpMapper(Gateway, NewHostSocket, Time, log: Log.Add),
    ];

    public T Run<T>(Task<T> task, double seconds = 60) => Time.RunUntilDone(task, TimeSpan.FromSeconds(seconds));

    public ManualTimeProvider Time { get; } = new();
    public LabNetwork Network { get; }
    public IReadOnlyList<LabStunServer> Servers { get; }
    public LabNat? Nat { get; }
    public LabSocket Socket { get; }
    public StunDemultiplexer Demux { get; }
    public StunClient Client { get; }
    public List<string> Log { get; } = [];

    public ReflexiveReport Discover(params IPEndPoint[] servers) =>
        Time.RunUntilDone(ReflexiveDiscovery.DiscoverAsync(Client, servers, [Socket.Local], Socket.Local.Port, CancellationToken.None), TimeSpan.FromSeconds(30));

    public void Dispose() => Demux.Dispose();
}
