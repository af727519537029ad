// NAT-PMP (RFC 6886) packets: external-address and UDP map requests and their answers. Pure: no I/O.
using System.Buffers.Binary;
using System.Net;

namespace P2PChat.Core.Nat.PortMapping;

/// <summary>
/// All fields big-endian, to the gateway's UDP 5351.
/// <code>
/// External address request (2):  Vers=0 (8) | OP=0 (8)
/// External address answer (12):  Vers=0 | OP=128 | Result (16) | Seconds since epoch (32) | External IPv4 (32)
/// Map request (12):              Vers=0 | OP=1 UDP, 2 TCP | Reserved=0 (16) | Internal port (16) |
///                                Suggested external port (16) | Requested lifetime seconds (32)   (0 = delete)
/// Map answer (16):               Vers=0 | OP=128+op | Result (16) | Seconds since epoch (32) | Internal port (16) |
///                                Mapped external port (16) | Lifetime seconds (32)
/// </code>
/// Result codes: 0 success, 1 unsupported version, 2 not authorized/refused, 3 network failure, 4 out of resources,
/// 5 unsupported opcode. Answers of the wrong size, version, opcode or internal port are refused with a reason (a refusal, result != 0, may
/// be as short as its 4-byte header).
/// </summary>
public static class NatPmpCodec
{
    public const byte OpExternalAddress = 0;
    public const byte OpMapUdp = 1;

    public static byte[] ExternalAddressRequest() => [0, OpExternalAddress];

    public static byte[] MapUdpRequest(int internalPort, int suggestedExternalPort, uint lifetimeSeconds)
    {
        var r = new byte[12];
        r[1] = OpMapUdp;
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(4), (ushort)internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(6), (ushort)suggestedExternalPort);
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(8), lifetimeSeconds);
        return r;
    }

    public readonly record struct ExternalAddressAnswer(int Result, uint Epoch, IPAddress Address);
    public readonly record struct MapAnswer(int Result, uint Epoch, int InternalPort, int ExternalPort, uint LifetimeSeconds);

    /// <returns>null, or why the answer is refused.</returns>
    public static string? TryParseExternalAddress(ReadOnlySpan<byte> a, out ExternalAddressAnswer answer)
    {
        answer = default;
        if (Header(a, 128, 12) is { } why) return why;
        if (a[0] == PcpCodec.Version) { answer = new(1, 0, IPAddress.None); return null; }
        if (a.Length < 12) { answer = new(BinaryPrimitives.ReadUInt16BigEndian(a[2..]), 0, IPAddress.None); return null; }
        answer = new(BinaryPrimitives.ReadUInt16BigEndian(a[2..]), BinaryPrimitives.ReadUInt32BigEndian(a[4..]), new IPAddress(a.Slice(8, 4)));
        return null;
    }

    public static string? TryParseMap(ReadOnlySpan<byte> a, int expectedInternalPort, out MapAnswer answer)
    {
        answer = default;
        if (Header(a, 128 + OpMapUdp, 16) is { } why) return why;
        if (a[0] == PcpCodec.Version) { answer = new(1, 0, expectedInternalPort, 0, 0); return null; }
        if (a.Length < 16) { answer = new(BinaryPrimitives.ReadUInt16BigEndian(a[2..]), 0, expectedInternalPort, 0, 0); return null; }
        answer = new(BinaryPrimitives.ReadUInt16BigEndian(a[2..]), BinaryPrimitives.ReadUInt32BigEndian(a[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(a[8..]), BinaryPrimitives.ReadUInt16BigEndian(a[10..]), BinaryPrimitives.ReadUInt32BigEndian(a[12..]));
        if (answer.InternalPort != expectedInternalPort) return $"answer for internal port {answer.InternalPort}, asked {expectedInternalPort}";
        return null;
    }

    public static string ResultText(int result) => result switch
    {
        0 => "success",
        1 => "unsupported version",
        2 => "not authorized or refused",
        3 => "network failure",
        4 => "out of resources",
        5 => "unsupported opcode",
        _ => $"result {result}",
    };

    private static string? Header(ReadOnlySpan<byte> a, int op, int length)
    {
        if (a.Length < 4) return $"truncated: {a.Length} bytes";
        if (a[0] == PcpCodec.Version) return null; // a PCP-only gateway (RFC 6887 section 9): read as "unsupported version"
        if (a[0] != 0) return $"version {a[0]}, expected 0";
        if (a[1] != op) return $"opcode {a[1]}, expected {op}";
        // A refusal (result != 0) is read from its first 4 bytes even when short: some routers send only the header.
        if (BinaryPrimitives.ReadUInt16BigEndian(a[2..]) != 0 && a.Length < length) return null;
        if (a.Length < length) return $"truncated: {a.Length} bytes, expected {length}";
        if (a.Length > length) return $"oversized: {a.Length} bytes, expected {length}";
        return null;
    }
}
