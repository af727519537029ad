// The first byte of every transport datagram: which of the four packet kinds follows.
namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Packet kinds of wire version 1. The type byte is the only byte every packet shares; a future
/// version introduces new type codes, so a receiver drops any other value.
/// </summary>
internal enum PacketType : byte
{
    /// <summary>Client → server, opens a connection; padded to at least 1200 bytes. See <see cref="HandshakeCodec"/>.</summary>
    Initial = 0x01,
    /// <summary>Server → client, carries the stateless address-validation cookie.</summary>
    Retry = 0x02,
    /// <summary>Server → client, confirms the connection and names the server's connection id.</summary>
    Accept = 0x03,
    /// <summary>Either direction once established: destination connection id, then the protected payload.</summary>
    Data = 0x04,
}
