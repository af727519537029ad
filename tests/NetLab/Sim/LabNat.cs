// One simulated NAT: its mapping table, filtering, hairpinning, timeouts, and the router's explicit port mappings.
using System.Net;

namespace P2PChat.NetLab.Sim;

/// <summary>Answers what a home router answers on its LAN side (NAT-PMP/PCP on 5351, SSDP): see <see cref="FakeRouter"/>.</summary>
public interface ILabRouter
{
    /// <summary>Replies (datagram, from) to a LAN datagram sent to the gateway or the SSDP group.</summary>
    IEnumerable<(byte[] Data, IPEndPoint From)> Handle(byte[] data, IPEndPoint from, IPEndPoint to);
}

/// <summary>Called by <see cref="LabNetwork"/> under its lock.</summary>
public sealed class LabNat
{
    public static readonly IPAddress SsdpGroup = IPAddress.Parse("239.255.255.250");
    private readonly LabNetwork _network;
    private readonly HashSet<IPAddress> _hosts = [];
    private readonly List<Mapping> _mappings = [];
    private readonly Dictionary<int, (IPEndPoint Inside, DateTimeOffset Until)> _explicit = [];

    internal LabNat(LabNetwork network, IPAddress publicAddress, IPAddress gatewayAddress, NatBehaviour behaviour)
    {
        _network = network;
        PublicAddress = publicAddress;
        GatewayAddress = gatewayAddress;
        Behaviour = behaviour;
    }

    public IPAddress PublicAddress { get; }
    public IPAddress GatewayAddress { get; }
    public NatBehaviour Behaviour { get; set; }
    public ILabRouter? Router { get; set; }

    /// <summary>Live dynamic mappings (for assertions).</summary>
    public int MappingCount { get { Expire(); return _mappings.Count; } }

    /// <summary>Explicit mappings made through the router (UPnP/NAT-PMP/PCP): external port → inside endpoint.</summary>
    public IReadOnlyDictionary<int, (IPEndPoint Inside, DateTimeOffset Until)> ExplicitMappings
    {
        get
        {
            foreach (var port in _explicit.Where(e => e.Value.Until <= Now).Select(e => e.Key).ToList()) _explicit.Remove(port);
            return _explicit;
        }
    }

    internal void AddHost(IPAddress address) => _hosts.Add(address);
    internal bool HasHost(IPAddress address) => _hosts.Contains(address);

    private DateTimeOffset Now => _network.Time.GetUtcNow();

    /// <summary>Adds or replaces an explicit mapping; false when the port belongs to another inside endpoint.</summary>
    public bool MapExplicit(int externalPort, IPEndPoint inside, TimeSpan lifetime)
    {
        if (ExplicitMappings.TryGetValue(externalPort, out var existing) && !existing.Inside.Equals(inside)) return false;
        if (lifetime <= TimeSpan.Zero) { _explicit.Remove(externalPort); return true; }
        _explicit[externalPort] = (inside, Now + lifetime);
        return true;
    }

    /// <summary>A free external port, preferring <paramref name="wanted"/>.</summary>
    public int FreeExternalPort(int wanted, IPEndPoint inside)
    {
        bool Free(int p) => p > 0 && (!ExplicitMappings.TryGetValue(p, out var e) || e.Inside.Equals(inside)) && _mappings.All(m => m.Public.Port != p);
        if (Free(wanted)) return wanted;
        for (int p = 40000; ; p++) if (Free(p)) return p;
    }

    /// <summary>Finds or makes the mapping for inside → destination and records the destination for filtering.</summary>
    internal IPEndPoint Outbound(IPEndPoint inside, IPEndPoint destination)
    {
        Expire();
        // A router-made mapping (UPnP, PCP MAP, NAT-PMP) also carries the host's outgoing traffic, so a peer that sent
        // to the mapped port sees the answers come from it (on the lab's miniupnpd routers conntrack reverses the DNAT).
        foreach (var (port, entry) in ExplicitMappings)
            if (entry.Inside.Equals(inside)) return new IPEndPoint(PublicAddress, port);
        var mapping = _mappings.FirstOrDefault(m => m.Inside.Equals(inside) && Matches(Behaviour.Mapping, m.Key, destination));
        if (mapping is null)
        {
            int port = Behaviour.PortPreservation && PortFree(inside.Port) ? inside.Port : RandomFreePort();
            mapping = new Mapping(inside, new IPEndPoint(PublicAddress, port), destination);
            _mappings.Add(mapping);
        }
        mapping.LastOutbound = Now;
        mapping.Contacted.Add(destination);
        return mapping.Public;
    }

    /// <summary>The inside endpoint a datagram from <paramref name="source"/> to our public port goes to, or null (dropped, reason recorded).</summary>
    internal IPEndPoint? Inbound(IPEndPoint source, int publicPort)
    {
        Expire();
        if (ExplicitMappings.TryGetValue(publicPort, out var fixedMapping)) return fixedMapping.Inside;
        var mapping = _mappings.FirstOrDefault(m => m.Public.Port == publicPort && m.Contacted.Any(c => Matches(Behaviour.Filtering, c, source)));
        if (mapping is null)
        {
            bool exists = _mappings.Any(m => m.Public.Port == publicPort);
            _network.Drops.Add(exists ? $"filtered at {PublicAddress}:{publicPort}: {source}" : $"no mapping at {PublicAddress}:{publicPort}: {source}");
            return null;
        }
        return mapping.Inside;
    }

    private static bool Matches(NatScope scope, IPEndPoint known, IPEndPoint other) => scope switch
    {
        NatScope.EndpointIndependent => true,
        NatScope.AddressDependent => known.Address.Equals(other.Address),
        _ => known.Equals(other),
    };

    private bool PortFree(int port) => _mappings.All(m => m.Public.Port != port) && !_explicit.ContainsKey(port);

    private int RandomFreePort()
    {
        while (true)
        {
            int port = _network.Random.Next(1024, 65536);
            if (PortFree(port)) return port;
        }
    }

    private void Expire()
    {
        var now = Now;
        _mappings.RemoveAll(m => now - m.LastOutbound >= Behaviour.MappingTimeout);
    }

    private sealed class Mapping(IPEndPoint inside, IPEndPoint publicEndPoint, IPEndPoint key)
    {
        public IPEndPoint Inside { get; } = inside;
        public IPEndPoint Public { get; } = publicEndPoint;
        /// <summary>The first destination: what the mapping scope compares against.</summary>
        public IPEndPoint Key { get; } = key;
        public HashSet<IPEndPoint> Contacted { get; } = [];
        public DateTimeOffset LastOutbound { get; set; }
    }
}
