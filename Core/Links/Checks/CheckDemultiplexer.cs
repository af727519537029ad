// One UDP socket, checks and transport together: check packets go to their introduction's session, the rest to the transport.
using System.Net;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Sockets;

namespace P2PChat.Core.Links.Checks;

/// <summary>Receives the verified-to-be-addressed check datagrams of one session (called on the socket's receive thread).</summary>
public interface ICheckHandler
{
    /// <summary>A 64-byte datagram carrying this handler's session id; the MAC is not checked yet.</summary>
    void OnCheckDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote, CheckDemultiplexer socket);
}

/// <summary>
/// Wraps the socket the transport runs over (on the peer: the <c>StunDemultiplexer</c>, so STUN is split off first)
/// and is itself the <see cref="IDatagramSocket"/> given to <see cref="UdpTransportEndpoint"/>. A datagram whose first
/// byte is 0xC1 or 0xC2 is a check (<see cref="CheckCodec"/>): it goes to the handler registered for its session id,
/// or is dropped and counted when no session has that id or it is not 64 bytes (no state, no answer). Everything else
/// goes to the transport. Starts receiving at once; transport datagrams arriving before <see cref="Start"/> are dropped.
/// </summary>
public sealed class CheckDemultiplexer : IDatagramSocket, IDatagramReceiver
{
    private readonly IDatagramSocket _inner;
    private readonly Dictionary<ulong, ICheckHandler> _sessions = [];
    private IDatagramReceiver? _transport;
    private long _dropped;

    public CheckDemultiplexer(IDatagramSocket inner)
    {
        _inner = inner;
        inner.Start(this);
    }

    /// <summary>Check datagrams dropped before any session saw them (unknown session, wrong size).</summary>
    public long DroppedChecks => Interlocked.Read(ref _dropped);

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    /// <summary>Routes checks with <paramref name="sessionId"/> to <paramref name="handler"/>; false if the id is taken.</summary>
    public bool Register(ulong sessionId, ICheckHandler handler)
    {
        lock (_sessions) return _sessions.TryAdd(sessionId, handler);
    }

    public void Unregister(ulong sessionId, ICheckHandler handler)
    {
        lock (_sessions)
            if (_sessions.TryGetValue(sessionId, out var h) && ReferenceEquals(h, handler)) _sessions.Remove(sessionId);
    }

    public void Start(IDatagramReceiver receiver) => _transport = receiver;

    public void Send(ReadOnlySpan<byte> datagram, EndPoint remote) => _inner.Send(datagram, remote);

    public void Flush() => _inner.Flush();

    public void OnDatagram(Span<byte> datagram, EndPoint remote)
    {
        if (!CheckCodec.LooksLikeCheck(datagram))
        {
            _transport?.OnDatagram(datagram, remote);
            return;
        }
        ICheckHandler? handler = null;
        if (CheckCodec.TryReadSessionId(datagram, out var session) && remote is IPEndPoint ip)
            lock (_sessions) _sessions.TryGetValue(session, out handler);
        if (handler is null) { Interlocked.Increment(ref _dropped); return; }
        handler.OnCheckDatagram(datagram, (IPEndPoint)remote, this);
    }

    public void OnBatchEnd() => _transport?.OnBatchEnd();

    public void Dispose() => _inner.Dispose();
}
