// The datagram socket the transport runs over: a real UDP socket, the hole-punched socket, or an in-memory network.
using System.Net;

namespace P2PChat.Core.Transport.Sockets;

/// <summary>Receives datagrams pushed by a socket. The span is only valid during the call and may be modified.</summary>
public interface IDatagramReceiver
{
    void OnDatagram(Span<byte> datagram, EndPoint remote);

    /// <summary>
    /// Called after the last datagram of a burst that arrived together (the socket had nothing more queued). A socket
    /// that cannot tell calls it after every datagram. Receivers answer (ACKs, new data) here, once per burst.
    /// </summary>
    void OnBatchEnd();
}

public interface IDatagramSocket : IDisposable
{
    EndPoint LocalEndPoint { get; }

    /// <summary>Begins delivering every received datagram to <paramref name="receiver"/> (one at a time, in arrival order).</summary>
    void Start(IDatagramReceiver receiver);

    /// <summary>Sends or queues one datagram; never throws for network errors (UDP is best effort). Safe to call from
    /// several threads at once: one socket is shared by check sessions, transports, STUN and path monitors.</summary>
    void Send(ReadOnlySpan<byte> datagram, EndPoint remote);

    /// <summary>Pushes out datagrams a batching implementation still holds (e.g. for UDP GSO). No-op by default.</summary>
    void Flush() { }
}
