// The connectivity-check packet: a pure codec for the 64-byte request and response that punch and test a candidate pair.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Links.Checks;

public enum CheckPacketType : byte
{
    /// <summary>"Can you hear me on this pair?" Also the nomination (flag) and the path monitor's consent/keepalive.</summary>
    Request = 0xC1,
    /// <summary>"Yes": echoes the transaction id and says which source address the request came from.</summary>
    Response = 0xC2,
}

[Flags]
public enum CheckFlags : byte
{
    None = 0,
    /// <summary>The controlling side nominates this pair (RFC 8445 USE-CANDIDATE); a response echoes it.</summary>
    Nominate = 0x01,
    /// <summary>The sender is the controlling side (a role conflict check: both sides must disagree).</summary>
    Controlling = 0x02,
    /// <summary>A birthday probe (or a hard side's opening packet), for counting and logs only.</summary>
    Probe = 0x04,
}

/// <summary>One decoded check packet (see <see cref="CheckCodec"/> for the bytes).</summary>
/// <param name="Address">request: the destination the sender addressed (which of our candidates it used);
/// response: the source address the responder saw the request come from (a peer-reflexive address).</param>
/// <param name="Priority">request: the priority the sender's candidate would have as peer-reflexive (RFC 8445 PRIORITY); response: 0.</param>
public sealed record CheckPacket(CheckPacketType Type, CheckFlags Flags, ulong SessionId, ulong TransactionId, uint Priority, IPEndPoint? Address);

/// <summary>
/// Every check packet is exactly 64 bytes, request and response alike, so a reply is never larger than what caused it.
/// <code>
/// offset size field
///  0     1    type: 0xC1 request, 0xC2 response. The leading bits 11 can never start a STUN message (00) and
///             0xC1/0xC2 is no transport packet type (0x01-0x04), so one socket carries all three.
///  1     1    version: 1
///  2     1    flags: 0x01 nominate, 0x02 sender is controlling, 0x04 probe; other bits must be 0
///  3     1    reserved, 0
///  4     8    session id: the first 8 bytes of HMAC-SHA256(token, "p2pchat check session v1") (CheckKeys)
/// 12     8    transaction id, chosen at random by the requester, echoed by the response
/// 20     4    priority (request), 0 (response), big-endian
/// 24     1    address family: 4 or 6
/// 25     2    port, big-endian
/// 27    16    address: IPv4 in the first 4 bytes (rest 0), or IPv6
/// 43     5    zero
/// 48    16    MAC: the first 16 bytes of HMAC-SHA256(check key, bytes 0-47); check key = HMAC-SHA256(token,
///             "p2pchat check key v1"). Only holders of the introduction token can make a packet that verifies.
/// </code>
/// Parsing is pure and never throws; the MAC is checked by <see cref="CheckKeys.Verify"/> before any state is made.
/// </summary>
public static class CheckCodec
{
    public const int Length = 64;
    public const int MacOffset = 48;
    public const int MacLength = 16;
    public const byte Version = 1;

    /// <summary>Cheap test on the first byte, for demultiplexing a shared socket (no MAC check).</summary>
    public static bool LooksLikeCheck(ReadOnlySpan<byte> datagram) =>
        datagram.Length > 0 && datagram[0] is (byte)CheckPacketType.Request or (byte)CheckPacketType.Response;

    /// <summary>The session id without a full parse (for routing to the session that holds the key).</summary>
    public static bool TryReadSessionId(ReadOnlySpan<byte> datagram, out ulong sessionId)
    {
        sessionId = 0;
        if (datagram.Length != Length || !LooksLikeCheck(datagram)) return false;
        sessionId = BinaryPrimitives.ReadUInt64BigEndian(datagram[4..]);
        return true;
    }

    /// <summary>Writes the packet without its MAC into <paramref name="destination"/> (64 bytes); <see cref="CheckKeys.Seal"/> adds it.</summary>
    public static void WriteUnsealed(CheckPacket packet, Span<byte> destination)
    {
        if (destination.Length < Length) throw new ArgumentException("a check packet needs 64 bytes", nameof(destination));
        var d = destination[..Length];
        d.Clear();
        d[0] = (byte)packet.Type;
        d[1] = Version;
        d[2] = (byte)packet.Flags;
        BinaryPrimitives.WriteUInt64BigEndian(d[4..], packet.SessionId);
        BinaryPrimitives.WriteUInt64BigEndian(d[12..], packet.TransactionId);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], packet.Priority);
        if (packet.Address is { } a)
        {
            var address = a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address;
            d[24] = address.AddressFamily == AddressFamily.InterNetwork ? (byte)4 : (byte)6;
            BinaryPrimitives.WriteUInt16BigEndian(d[25..], (ushort)a.Port);
            address.TryWriteBytes(d[27..43], out _);
        }
    }

    /// <summary>Reads a packet (MAC not checked); false with a reason for anything malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out CheckPacket packet, out string error)
    {
        packet = null!;
        if (datagram.Length != Length) return Fail(out error, $"a check packet is 64 bytes, not {datagram.Length}");
        if (!LooksLikeCheck(datagram)) return Fail(out error, $"type 0x{datagram[0]:X2} is no check packet");
        if (datagram[1] != Version) return Fail(out error, $"version {datagram[1]} is not 1");
        if ((datagram[2] & ~0x07) != 0 || datagram[3] != 0) return Fail(out error, "reserved flag bits set");
        if (datagram[43..48].ContainsAnyExcept((byte)0)) return Fail(out error, "padding is not zero");
        IPEndPoint? address = null;
        int port = BinaryPrimitives.ReadUInt16BigEndian(datagram[25..]);
        switch (datagram[24])
        {
            case 0:
                if (port != 0 || datagram[27..43].ContainsAnyExcept((byte)0)) return Fail(out error, "an address without a family");
                break;
            case 4:
                if (datagram[31..43].ContainsAnyExcept((byte)0)) return Fail(out error, "IPv4 address with trailing bytes");
                address = new IPEndPoint(new IPAddress(datagram[27..31]), port);
                break;
            case 6:
                address = new IPEndPoint(new IPAddress(datagram[27..43]), port);
                break;
            default:
                return Fail(out error, $"address family {datagram[24]} is neither 4 nor 6");
        }
        var type = (CheckPacketType)datagram[0];
        uint priority = BinaryPrimitives.ReadUInt32BigEndian(datagram[20..]);
        if (type == CheckPacketType.Response && priority != 0) return Fail(out error, "a response carries no priority");
        packet = new CheckPacket(type, (CheckFlags)datagram[2], BinaryPrimitives.ReadUInt64BigEndian(datagram[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]), priority, address);
        error = "";
        return true;
    }

    private static bool Fail(out string error, string why)
    {
        error = why;
        return false;
    }
}
