// Byte layout of a Data packet: the clear header, then the protected payload that starts with the packet number.
using System.Buffers.Binary;

namespace P2PChat.Core.Transport.Wire;

/// <summary>
/// <code>
/// 0      type = 0x04                      ┐ clear header: routes the datagram to its connection;
/// 1..8   destination connection id (u64)  ┘ authenticated as associated data by the protector
/// 9..    protected payload = protector framing around the plaintext:
///          plaintext 0..7  packet number (u64, starts at 0, +1 per packet, never reused)
///          plaintext 8..   frames (see <see cref="FrameType"/>) until the end
/// </code>
/// </summary>
internal static class DataPacketLayout
{
    public const int HeaderLength = 9;
    public const int PacketNumberLength = 8;

    public static void WriteHeader(Span<byte> packet, ulong destinationId)
    {
        packet[0] = (byte)PacketType.Data;
        BinaryPrimitives.WriteUInt64BigEndian(packet[1..], destinationId);
    }

    public static bool TryReadDestination(ReadOnlySpan<byte> datagram, out ulong destinationId)
    {
        destinationId = 0;
        if (datagram.Length < HeaderLength || datagram[0] != (byte)PacketType.Data) return false;
        destinationId = BinaryPrimitives.ReadUInt64BigEndian(datagram[1..]);
        return true;
    }
}
