// The receiving side of the link sockets (after STUN and checks are split off): transport packets to their link's path.
using System.Net;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Peer.Links;

/// <summary>
/// Started (as the transport receiver) on every <see cref="Core.Links.Checks.CheckDemultiplexer"/> a link can run
/// over: the shared IPv4 and IPv6 sockets and any socket the engine opened for birthday probing whose path was
/// nominated. A datagram goes to the link whose nominated direct endpoint sent it, as if it came from the link's
/// virtual address; datagrams from anyone else are dropped without state or answer. Checks (0xC1/0xC2) never reach it:
/// the check demultiplexer hands them to their introduction's engine session, or drops them.
/// </summary>
public sealed class DirectRouter : IDatagramReceiver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EndPoint, LinkPathSocket> _paths = [];
    private long _dropped;

    /// <summary>Datagrams nobody took (strangers, packets of a path already given up).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Map(EndPoint remote, LinkPathSocket path) { lock (_gate) _paths[Normal(remote)] = path; }

    public void Unmap(LinkPathSocket path)
    {
        lock (_gate) foreach (var key in _paths.Where(p => p.Value == path).Select(p => p.Key).ToList()) _paths.Remove(key);
    }

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        LinkPathSocket? path;
        lock (_gate) path = _paths.GetValueOrDefault(Normal(remote));
        if (path is null) Interlocked.Increment(ref _dropped);
        else path.OnDirect(datagram);
    }

    public void OnBatchEnd() { }

    private static EndPoint Normal(EndPoint e) =>
        e is IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : e;
}
