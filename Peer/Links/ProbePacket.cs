// The stand-in connectivity check's packet: 26 bytes, answered with 26 bytes, authenticated by the introduction token.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace P2PChat.Peer.Links;

/// <summary>
/// <code>
/// 0xC5 | type u8 (1 ping, 2 pong) | nonce u64 BE | mac (16 bytes) = HMAC-SHA256(token, type | nonce | sender role)[0..16]
/// </code>
/// The sender role (1 controlling, 2 controlled) is in the MAC, so a peer never accepts its own ping reflected back
/// (or a hairpinned copy) as the other side's. A pong echoes the ping's nonce and is exactly as long as the ping: a
/// check is never answered with more bytes than it had (no amplification). The first byte keeps it apart from STUN
/// (leading bits 00), the transport (0x01-0x04) and the link engine's checks (0xC1, 0xC2).
/// </summary>
public static class ProbePacket
{
    public const int Length = 26;
    public const byte Marker = 0xC5;
    public const byte Ping = 1, Pong = 2;

    public static bool LooksLikeProbe(ReadOnlySpan<byte> datagram) => datagram.Length == Length && datagram[0] == Marker;

    public static byte[] Write(byte type, ulong nonce, ReadOnlySpan<byte> token, bool senderControls)
    {
        var packet = new byte[Length];
        packet[0] = Marker;
        packet[1] = type;
        BinaryPrimitives.WriteUInt64BigEndian(packet.AsSpan(2), nonce);
        Mac(packet, token, senderControls).CopyTo(packet.AsSpan(10));
        return packet;
    }

    /// <summary>True when <paramref name="packet"/> was made with <paramref name="token"/> by the side named.</summary>
    public static bool Verify(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> token, bool senderControls) =>
        LooksLikeProbe(packet) && packet[1] is Ping or Pong
        && CryptographicOperations.FixedTimeEquals(Mac(packet, token, senderControls), packet.Slice(10, 16));

    public static (byte Type, ulong Nonce) Read(ReadOnlySpan<byte> packet) => (packet[1], BinaryPrimitives.ReadUInt64BigEndian(packet[2..]));

    private static byte[] Mac(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> token, bool senderControls)
    {
        Span<byte> input = stackalloc byte[10];
        packet[1..10].CopyTo(input);
        input[9] = senderControls ? (byte)1 : (byte)2;
        return HMACSHA256.HashData(token, input)[..16];
    }
}
