// The receiving side of the shared UDP socket for links: probes to their sessions, transport packets to their link's path.
using System.Net;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Peer.Links;

/// <summary>
/// Started on the peer's shared socket (after STUN is split off). A probe packet goes to the first active
/// <see cref="ProbeSession"/> whose token authenticates it (else dropped); any other datagram goes to the link whose
/// nominated direct endpoint sent it, as if it came from the link's virtual address; datagrams from anyone else are
/// dropped without state or answer.
/// </summary>
public sealed class DirectRouter(IDatagramSocket socket) : IDatagramReceiver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<EndPoint, LinkPathSocket> _paths = [];
    private readonly List<ProbeSession> _probes = [];
    private long _dropped;

    public IDatagramSocket Socket { get; } = socket;

    /// <summary>Datagrams nobody took (strangers, forged probes).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start() => Socket.Start(this);

    public void Map(EndPoint remote, LinkPathSocket path) { lock (_gate) _paths[remote] = path; }

    public void Unmap(LinkPathSocket path)
    {
        lock (_gate) foreach (var key in _paths.Where(p => p.Value == path).Select(p => p.Key).ToList()) _paths.Remove(key);
    }

    public void Add(ProbeSession probe) { lock (_gate) _probes.Add(probe); }

    public void Remove(ProbeSession probe) { lock (_gate) _probes.Remove(probe); }

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (ProbePacket.LooksLikeProbe(datagram) && remote is IPEndPoint from)
        {
            ProbeSession[] probes;
            lock (_gate) probes = [.. _probes];
            foreach (var probe in probes)
                if (probe.OnProbe(datagram, from)) return;
            Interlocked.Increment(ref _dropped);
            return;
        }
        LinkPathSocket? path;
        lock (_gate) path = _paths.GetValueOrDefault(remote);
        if (path is null) Interlocked.Increment(ref _dropped);
        else path.OnDirect(datagram);
    }

    public void OnBatchEnd() { }
}
