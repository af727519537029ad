// A parsed Initial, Retry or Accept packet (the three unprotected handshake packets).
namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// Fields of a handshake packet. <see cref="ServerId"/> is only set in Accept; <see cref="Token"/> only
/// in Initial (may be empty) and Retry.
/// </summary>
internal readonly ref struct HandshakePacket(PacketType type, ulong clientId, ulong serverId, ReadOnlySpan<byte> token)
{
    public PacketType Type { get; } = type;
    public ulong ClientId { get; } = clientId;
    public ulong ServerId { get; } = serverId;
    public ReadOnlySpan<byte> Token { get; } = token;
}
