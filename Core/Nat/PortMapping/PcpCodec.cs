// PCP (RFC 6887) MAP request and answer for UDP over IPv4 or IPv6. Pure: no I/O.
using System.Buffers.Binary;
using System.Net;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// Request (60 bytes), big-endian, to the gateway's UDP 5351:
/// <code>
///  0      Version=2 (8) | R=0 (1) Opcode=1 MAP (7) | Reserved (16)
///  4      Requested lifetime seconds (32)                               (0 = delete)
///  8      PCP client's IP address (128; IPv4 as ::ffff:a.b.c.d)         must equal the source address
///  24     Mapping nonce (96, random, repeated on renew and delete)
///  36     Protocol=17 UDP (8) | Reserved (24)
///  40     Internal port (16) | Suggested external port (16)
///  44     Suggested external IP address (128; ::ffff:0.0.0.0 = any)
/// </code>
/// Answer (60 bytes):
/// <code>
///  0      Version=2 | R=1 Opcode=1 | Reserved (8) | Result code (8)
///  4      Lifetime seconds (32) | 8 Epoch time (32) | 12 Reserved (96)
///  24     Mapping nonce (96) | 36 Protocol (8) | Reserved (24) | 40 Internal port (16) | Assigned external port (16)
///  44     Assigned external IP address (128)
/// </code>
/// Result codes: 0 SUCCESS, 1 UNSUPP_VERSION, 2 NOT_AUTHORIZED, 3 MALFORMED_REQUEST, 4 UNSUPP_OPCODE, 5 UNSUPP_OPTION,
/// 6 MALFORMED_OPTION, 7 NETWORK_FAILURE, 8 NO_RESOURCES, 9 UNSUPP_PROTOCOL, 10 USER_EX_QUOTA,
/// 11 CANNOT_PROVIDE_EXTERNAL, 12 ADDRESS_MISMATCH, 13 EXCESSIVE_REMOTE_PEERS. Answers are at most 1100 bytes, a multiple
/// of 4 (options may follow the 60 bytes; they are skipped). An answer of another version (a NAT-PMP-only gateway answers version 0) is read as UNSUPP_VERSION.
/// </summary>
public static class PcpCodec
{
    public const byte Version = 2;
    public const byte OpMap = 1;
    public const int MapLength = 60;
    public const int MaxLength = 1100;
    public const byte ProtocolUdp = 17;

    public static byte[] MapRequest(ReadOnlySpan<byte> nonce, IPAddress client, int internalPort, int suggestedExternalPort,
        IPAddress? suggestedExternal, uint lifetimeSeconds)
    {
        if (nonce.Length != 12) throw new ArgumentException("the nonce is 12 bytes", nameof(nonce));
        var r = new byte[MapLength];
        r[0] = Version;
        r[1] = OpMap;
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(4), lifetimeSeconds);
        WriteAddress(r.AsSpan(8, 16), client);
        nonce.CopyTo(r.AsSpan(24));
        r[36] = ProtocolUdp;
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(40), (ushort)internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(42), (ushort)suggestedExternalPort);
        WriteAddress(r.AsSpan(44, 16), suggestedExternal ?? IPAddress.Any);
        return r;
    }

    public readonly record struct MapAnswer(int Result, uint LifetimeSeconds, uint Epoch, int InternalPort, IPEndPoint External);

    /// <returns>null, or why the answer is refused.</returns>
    public static string? TryParseMap(ReadOnlySpan<byte> a, ReadOnlySpan<byte> nonce, int internalPort, out MapAnswer answer)
    {
        answer = default;
        if (a.Length < 4) return $"truncated: {a.Length} bytes";
        if (a.Length > MaxLength) return $"oversized: {a.Length} bytes, limit {MaxLength}";
        if (a[0] != Version)
        {
            // RFC 6887 section 9: a NAT-PMP-only gateway answers version 0 UNSUPP_VERSION; end the exchange at once.
            answer = new(1, 0, 0, internalPort, new IPEndPoint(IPAddress.Any, 0));
            return null;
        }
        if (a[1] != (0x80 | OpMap)) return $"opcode 0x{a[1]:x2}, expected a MAP answer (0x81)";
        int result = a[3];
        if (a.Length < MapLength)
        {
            if (result == 0 || a.Length < 24) return $"truncated: {a.Length} bytes, a MAP answer has {MapLength}";
            answer = new(result, BinaryPrimitives.ReadUInt32BigEndian(a[4..]), BinaryPrimitives.ReadUInt32BigEndian(a[8..]), internalPort, new IPEndPoint(IPAddress.Any, 0));
            return null;
        }
        if (a.Length % 4 != 0) return $"length {a.Length} is not a multiple of 4";
        if (!a.Slice(24, 12).SequenceEqual(nonce)) return "the mapping nonce is not ours";
        if (a[36] != ProtocolUdp) return $"protocol {a[36]}, asked UDP";
        int port = BinaryPrimitives.ReadUInt16BigEndian(a[40..]);
        if (port != internalPort) return $"answer for internal port {port}, asked {internalPort}";
        var external = ReadAddress(a.Slice(44, 16));
        answer = new(result, BinaryPrimitives.ReadUInt32BigEndian(a[4..]), BinaryPrimitives.ReadUInt32BigEndian(a[8..]), port,
            new IPEndPoint(external, BinaryPrimitives.ReadUInt16BigEndian(a[42..])));
        return null;
    }

    public static string ResultText(int result) => result switch
    {
        0 => "SUCCESS",
        1 => "UNSUPP_VERSION",
        2 => "NOT_AUTHORIZED",
        3 => "MALFORMED_REQUEST",
        4 => "UNSUPP_OPCODE",
        5 => "UNSUPP_OPTION",
        6 => "MALFORMED_OPTION",
        7 => "NETWORK_FAILURE",
        8 => "NO_RESOURCES",
        9 => "UNSUPP_PROTOCOL",
        10 => "USER_EX_QUOTA",
        11 => "CANNOT_PROVIDE_EXTERNAL",
        12 => "ADDRESS_MISMATCH",
        13 => "EXCESSIVE_REMOTE_PEERS",
        _ => $"result {result}",
    };

    /// <summary>IPv6 as is, IPv4 as the IPv4-mapped IPv6 address (RFC 6887 section 5).</summary>
    public static void WriteAddress(Span<byte> sixteen, IPAddress address)
    {
        var v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address;
        v6.TryWriteBytes(sixteen, out _);
    }

    public static IPAddress ReadAddress(ReadOnlySpan<byte> sixteen)
    {
        var address = new IPAddress(sixteen);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
