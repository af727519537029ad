// The lifecycle states of a transport connection.
namespace P2PChat.Core.Transport;

/// <summary>
/// <code>
///  client: Connect ─► Handshaking ──Accept──► Established        server: valid Initial+cookie ─► Established
///  Established ──CloseAsync (all data acked) / Abort / protocol error──► Closing ──3·PTO──► Closed
///  Established ──CLOSE received──► Draining ──3·PTO──► Closed
///  any ──idle timeout / connect timeout / endpoint disposed──► Closed
/// </code>
/// Closing answers each received packet with its CLOSE again (never more packets than it receives);
/// Draining sends nothing. Both keep the connection id reserved so stray packets are absorbed.
/// </summary>
public enum ConnectionState
{
    Handshaking,
    Established,
    Closing,
    Draining,
    Closed,
}

/// <summary>Which side opened the connection.</summary>
public enum ConnectionRole
{
    Client,
    Server,
}
