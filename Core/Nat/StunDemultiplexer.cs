// One UDP socket, two users: STUN messages (recognised by the magic cookie) go to NAT discovery, the rest to the transport.
using System.Net;
using P2PChat.Core.Nat.Stun;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Nat;

/// <summary>Receives the STUN datagrams split off a shared socket (called on the socket's receive thread).</summary>
public interface IStunDatagramHandler
{
    void OnStunDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote);
}

/// <summary>
/// Wraps the socket the transport runs over and is itself the <see cref="IDatagramSocket"/> given to
/// <see cref="UdpTransportEndpoint"/>: every received datagram is tested with <see cref="StunParser.LooksLikeStun"/>
/// (leading bits 00 and the cookie 0x2112A442 at bytes 4-7) before the transport's parser sees it. Transport packets
/// start with a type byte 0x01-0x04 and carry no cookie there, so the two never collide. The transport knows nothing
/// about this class; it only sees a socket. Starts receiving at once; transport datagrams arriving before
/// <see cref="Start"/> are dropped.
/// </summary>
public sealed class StunDemultiplexer : IDatagramSocket, IDatagramReceiver
{
    private readonly IDatagramSocket _inner;
    private IDatagramReceiver? _transport;

    public StunDemultiplexer(IDatagramSocket inner)
    {
        _inner = inner;
        inner.Start(this);
    }

    /// <summary>Where STUN datagrams go (the <see cref="StunClient"/>); null drops them.</summary>
    public IStunDatagramHandler? StunHandler { get; set; }

    /// <summary>How many datagrams went each way, for tests and diagnostics.</summary>
    public long StunDatagrams { get; private set; }
    public long TransportDatagrams { get; private set; }

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public void Start(IDatagramReceiver receiver) => _transport = receiver;

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => _inner.Send(datagram, remote);

    public void Flush() => _inner.Flush();

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (StunParser.LooksLikeStun(datagram))
        {
            StunDatagrams++;
            if (remote is IPEndPoint ip) StunHandler?.OnStunDatagram(datagram, ip);
            return;
        }
        TransportDatagrams++;
        _transport?.OnDatagram(datagram, remote);
    }

    public void OnBatchEnd() => _transport?.OnBatchEnd();

    public void Dispose() => _inner.Dispose();
}
