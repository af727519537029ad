// Two (or more) peers on the NAT simulator, each with the sockets and candidates the link engine wants, on one manual clock.
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Links.Paths;
using P2PChat.Core.Nat;
using P2PChat.Core.Nat.PortMapping;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport.Sockets;
using P2PChat.TestSupport;

namespace P2PChat.NetLab.Sim;

/// <summary>
/// Addresses (in memory only): STUN at 203.0.113.10:3478 and :3479 (two ports of one address: endpoint-independent
/// vs per-destination mapping) and 203.0.113.20:3478. Site N behind a NAT: public 192.0.2.N, gateway 192.168.N.1,
/// host 192.168.N.10:5000; a second host on the same LAN 192.168.N.11:5000; a public host 198.51.100.N:5000.
/// </summary>
public sealed class LinkLab
{
    public LinkLab(int seed = 1, TimeSpan? latency = null)
    {
        Network = new LabNetwork(Time, latency ?? TimeSpan.FromMilliseconds(10), seed);
        Servers = [new(Network, LabScenario.StunA1), new(Network, LabScenario.StunA2), new(Network, LabScenario.StunB)];
    }

    public ManualTimeProvider Time { get; } = new();
    public LabNetwork Network { get; }
    public IReadOnlyList<LabStunServer> Servers { get; }

    /// <summary>A host behind a new NAT of site <paramref name="site"/> (1-250), with the site's fake router.</summary>
    public LinkSite BehindNat(int site, NatBehaviour behaviour)
    {
        var nat = Network.AddNat(IPAddress.Parse($"192.0.2.{site}"), IPAddress.Parse($"192.168.{site}.1"), behaviour);
        return new LinkSite(this, IPEndPoint.Parse($"192.168.{site}.10:5000"), nat, new FakeRouter(nat, Time));
    }

    /// <summary>Another host on <paramref name="neighbour"/>'s LAN (behind the same NAT).</summary>
    public LinkSite OnSameLan(LinkSite neighbour) =>
        new(this, new IPEndPoint(IPAddress.Parse(neighbour.Local.Address.ToString()[..^2] + "11"), 5000), neighbour.Nat, neighbour.Router);

    /// <summary>A host with a public address and no NAT.</summary>
    public LinkSite Public(int site) => new(this, IPEndPoint.Parse($"198.51.100.{site}:5000"), null, null);

    public T Run<T>(Task<T> task, double seconds = 30) => Time.RunUntilDone(task, TimeSpan.FromSeconds(seconds));

    /// <summary>The engine's options for the simulator: <paramref name="options"/> (or the defaults) with sockets closed
    /// inline (the simulated network is single-threaded; the product closes them on a thread of their own).</summary>
    public static EstablishOptions Options(EstablishOptions? options = null) => (options ?? new()) with { CloseSockets = EstablishOptions.CloseInline };

    /// <summary>Runs both sides' engines at once (as after an introduction) until both have finished.</summary>
    public (LinkEstablishment A, LinkEstablishment B) Establish(LinkSite a, LinkSite b, byte[] token, EstablishOptions? options = null)
    {
        var ca = a.Gathered ?? a.Gather();
        var cb = b.Gathered ?? b.Gather();
        options = Options(options);
        var ta = LinkEstablisher.EstablishAsync(ca, cb.ToCandidateSet(), token, CheckRole.Controlling, a.NewSocket, Time, CancellationToken.None, options);
        var tb = LinkEstablisher.EstablishAsync(cb, ca.ToCandidateSet(), token, CheckRole.Controlled, b.NewSocket, Time, CancellationToken.None, options);
        var both = Run(Task.WhenAll(ta, tb), 60);
        return (both[0], both[1]);
    }
}

/// <summary>One peer of a <see cref="LinkLab"/>: its shared socket (STUN, checks, transport), discovery and port mapping.</summary>
public sealed class LinkSite
{
    private readonly LinkLab _lab;
    private int _nextPort = 20000;

    internal LinkSite(LinkLab lab, IPEndPoint local, LabNat? nat, FakeRouter? router)
    {
        _lab = lab;
        Local = local;
        Nat = nat;
        Router = router;
        Socket = lab.Network.Bind(local, nat);
        Stun = new StunDemultiplexer(Socket);
        Checks = new CheckDemultiplexer(Stun);
        Client = new StunClient(Stun, lab.Time, log: Log.Add);
    }

    public IPEndPoint Local { get; }
    public LabNat? Nat { get; }
    public FakeRouter? Router { get; }
    public LabSocket Socket { get; }
    public StunDemultiplexer Stun { get; }
    public CheckDemultiplexer Checks { get; }
    public StunClient Client { get; }
    public List<string> Log { get; } = [];
    public LocalCandidates? Gathered { get; private set; }
    /// <summary>Sockets handed to the engine (birthday probing), in order.</summary>
    public List<LabSocket> Opened { get; } = [];

    /// <summary>A second, IPv6 socket on a global address (no NAT: only a peer's checks need to reach it), gathered as a
    /// second base with one host candidate.</summary>
    public LinkSite WithIpv6(string address)
    {
        Ipv6Socket = _lab.Network.Bind(new IPEndPoint(IPAddress.Parse(address), 5000));
        Ipv6Checks = new CheckDemultiplexer(Ipv6Socket);
        return this;
    }

    public LabSocket? Ipv6Socket { get; private set; }
    public CheckDemultiplexer? Ipv6Checks { get; private set; }

    /// <summary>Discovery against both ports of the first STUN address (and, with <paramref name="portMapping"/>, the
    /// router asked for a mapping of the shared port), turned into candidates by <see cref="CandidateGathering"/>.</summary>
    public LocalCandidates Gather(bool portMapping = false)
    {
        var report = _lab.Run(ReflexiveDiscovery.DiscoverAsync(Client, [LabScenario.StunA1, LabScenario.StunA2], [Local], Local.Port, CancellationToken.None));
        IPortMapping? mapping = null;
        if (portMapping && Router is not null && Nat is not null)
        {
            IDatagramSocket Fresh() => _lab.Network.Bind(new IPEndPoint(Local.Address, _nextPort++), Nat);
            IPortMapper[] mappers =
            [
                new UpnpMapper(Nat.GatewayAddress, Local.Address, Fresh, Router, _lab.Time, Log.Add),
                new PcpMapper(Nat.GatewayAddress, Local.Address, Fresh, _lab.Time, log: Log.Add),
                new NatPmpMapper(Nat.GatewayAddress, Fresh, _lab.Time, log: Log.Add),
            ];
            mapping = _lab.Run(new PortMapProber(mappers, Log.Add).MapAsync(Local.Port, PortMapProber.DefaultLifetime, CancellationToken.None));
        }
        var candidates = CandidateGathering.From([Local.Address], Local.Port, report, mapping);
        List<CandidateBase> bases = [new CandidateBase(Checks, candidates)];
        if (Ipv6Checks is not null)
            bases.Add(new CandidateBase(Ipv6Checks, CandidateGathering.From([Ipv6Socket!.Local.Address], Ipv6Socket.Local.Port, null, null)));
        Gathered = new LocalCandidates(bases, report.Behaviour);
        return Gathered;
    }

    /// <summary>The engine's socket factory: a fresh socket on this host (behind the same NAT).</summary>
    public IDatagramSocket NewSocket(AddressFamily family)
    {
        var socket = _lab.Network.Bind(new IPEndPoint(Local.Address, _nextPort++), Nat);
        Opened.Add(socket);
        return socket;
    }
}
