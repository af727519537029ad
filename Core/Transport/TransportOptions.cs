// Tunables of the UDP transport, with defaults safe on any Internet path.
using System.Net;
using P2PChat.Core.Transport.Protection;
using P2PChat.Core.Transport.Streams;

namespace P2PChat.Core.Transport;

/// <summary>Congestion controllers available.</summary>
public enum CongestionControl
{
    Cubic,
    NewReno,
}

/// <summary>Handler for datagrams that are not transport traffic (see <see cref="TransportOptions.ForeignDatagramHandler"/>).</summary>
public delegate void ReceivedDatagramHandler(ReadOnlySpan<byte> datagram, EndPoint remote);

public sealed record TransportOptions
{
    /// <summary>
    /// Largest UDP payload sent before path MTU discovery confirmed more (the base size of DPLPMTUD), and the size
    /// of unreliable datagrams' budget (<see cref="TransportConnection.MaxDatagramPayload"/>). 1200 is safe on every
    /// path (IPv6 minimum MTU minus headers).
    /// </summary>
    public int MaxPacketSize { get; init; } = 1200;

    /// <summary>
    /// Whether each connection probes for larger packets (DPLPMTUD, RFC 8899; see <see cref="TransportConnection.PathMtu"/>).
    /// Meant for direct paths; a layer that tunnels packets through something with its own limit (a relay) turns it off.
    /// </summary>
    public bool PathMtuDiscovery { get; init; } = true;

    /// <summary>
    /// Largest UDP payload path MTU discovery tries; null means 1472 towards IPv4 peers and 1452 towards IPv6 peers
    /// (a 1500-byte Ethernet MTU minus IP and UDP headers), 16384 towards loopback addresses. At or below
    /// <see cref="MaxPacketSize"/> nothing is probed.
    /// </summary>
    public int? MaxProbedPacketSize { get; init; }

    /// <summary>How long a search that ended below the maximum waits before trying larger packets again (RFC 8899's PMTU_RAISE_TIMER).</summary>
    public TimeSpan PathMtuRaiseInterval { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Whether Initial packets from unknown peers are answered (server role).</summary>
    public bool AcceptIncoming { get; init; }

    public int AcceptBacklog { get; init; } = 128;

    /// <summary>
    /// A PING is sent when nothing was sent for this long. At most 25 s, below typical NAT timeouts (~30 s). The
    /// default of every connection; the link layer sets a measured value per connection with
    /// <see cref="TransportConnection.KeepAliveInterval"/>.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// When nothing was received for this long, the connection raises <see cref="TransportConnection.PathSilent"/>
    /// once (again only after traffic resumed and stopped anew), so the link layer can replace the path long before
    /// <see cref="IdleTimeout"/> ends the connection. Infinite (the default) never raises it. Settable per connection
    /// with <see cref="TransportConnection.PathSilenceTimeout"/>.
    /// </summary>
    public TimeSpan PathSilenceTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>The connection is dropped when nothing was received for this long.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A graceful close (<see cref="TransportConnection.CloseAsync"/>) waits for the peer to acknowledge everything
    /// written; when the peer acknowledges nothing for this long it gives up and aborts
    /// (<see cref="TransportError.CloseTimedOut"/>), so a dead path or a vanished peer never holds a close (or a clean
    /// exit) for the whole <see cref="IdleTimeout"/>. A close that keeps making progress is never cut short.
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Initial retransmission interval of the client's Initial; doubles per retry up to <see cref="MaxHandshakeRetransmit"/>.</summary>
    public TimeSpan InitialHandshakeRetransmit { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxHandshakeRetransmit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether the server role answers an Initial without a valid cookie with a Retry (stateless address validation,
    /// the default) instead of accepting it. False only where every datagram's source is already authenticated below
    /// the transport, e.g. a contact link's path socket (only the server's relay for that contact and endpoints its
    /// connectivity checks proved): the Retry round trip then buys nothing and costs two one-way trips of time to link.
    /// </summary>
    public bool ValidateAddresses { get; init; } = true;

    /// <summary>How long a Retry cookie stays valid.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a receiver holds back an acknowledgement.</summary>
    public TimeSpan MaxAckDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether a standing queue on the path (a round's least RTT more than max(10 ms, base / 4) over the base RTT,
    /// <c>QueueDelayMonitor</c>) counts as congestion, so a bulk transfer does not fill the receiver's socket buffer
    /// (or a router's) and make every other stream's packets, PMs included, wait behind it. Off: loss only, as before.
    /// Environment override: P2PCHAT_QUEUE_SIGNAL=0 turns it off (for A/B benchmarks).
    /// </summary>
    public bool QueueDelaySignal { get; init; } = Environment.GetEnvironmentVariable("P2PCHAT_QUEUE_SIGNAL") != "0";

    /// <summary>An acknowledgement goes out at once after this many ack-eliciting packets.</summary>
    public int AckEveryPackets { get; init; } = 2;

    public TimeSpan InitialRetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MinRetransmissionTimeout { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxRetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public CongestionControl CongestionControl { get; init; } = CongestionControl.Cubic;

    /// <summary>Whether sending is paced over the RTT (recommended; off only for experiments).</summary>
    public bool Pacing { get; init; } = true;

    /// <summary>How far the peer may send ahead of what the application read, per stream.</summary>
    public int StreamReceiveWindow { get; init; } = 8 << 20;

    /// <summary>The same across all streams of a connection.</summary>
    public int ConnectionReceiveWindow { get; init; } = 16 << 20;

    /// <summary>How much written-but-unacknowledged data a stream holds before writers wait.</summary>
    public int StreamSendBuffer { get; init; } = 8 << 20;

    /// <summary>Received datagrams waiting for the application beyond this count are dropped.</summary>
    public int DatagramQueueLimit { get; init; } = 256;

    /// <summary>
    /// Receives every datagram on the socket that is not transport traffic (unknown type, unknown connection id,
    /// unparsable handshake), e.g. STUN or NAT keepalives of the traversal layer sharing the socket. Called on the
    /// receive thread, outside the endpoint's lock; the span is only valid during the call. Null drops them.
    /// </summary>
    public ReceivedDatagramHandler? ForeignDatagramHandler { get; init; }

    /// <summary>
    /// Builds the packet protector for a new connection (role, remote address). The default is
    /// <see cref="UnkeyedPacketProtector"/>; the secure-channel layer supplies keyed ones.
    /// </summary>
    public Func<ConnectionRole, EndPoint, IPacketProtector> ProtectorFactory { get; init; } = static (_, _) => new UnkeyedPacketProtector();
}
