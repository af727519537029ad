// Parses one STUN datagram (RFC 8489) into a StunMessage, or says exactly why it is not one. Pure: no I/O.
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace P2PChat.Core.Nat.Stun;

/// <summary>
/// Header (20 bytes, big-endian):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |   length = bytes after the header, multiple of 4
/// |                   Magic Cookie = 0x2112A442                   |
/// |                   Transaction ID (96 bits)                    |
/// |                                                               |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Then attributes, each: Type (16) | Length (16) | Value (Length bytes, zero-padded to a multiple of 4).
/// (XOR-)MAPPED-ADDRESS value: 0x00 | Family (0x01 IPv4, 0x02 IPv6) | Port (16) | Address (4 or 16 bytes);
/// XOR-ed form: port ^ 0x2112, IPv4 address ^ cookie, IPv6 address ^ (cookie ‖ transaction id).
/// ERROR-CODE value: 0 (21 bits) | Class (3 bits, 3..6) | Number (8 bits, 0..99) | reason (UTF-8).
/// FINGERPRINT (0x8028), if present, is the last attribute: CRC-32 of everything before it XOR 0x5354554E,
/// computed with the header's length already counting the FINGERPRINT attribute.
/// Refused: shorter than 20 bytes or longer than <see cref="StunConstants.MaxMessageLength"/>; leading bits not 00;
/// wrong cookie; length field not a multiple of 4 or not equal to the datagram's remaining bytes; an attribute running
/// past the end; more than <see cref="StunConstants.MaxAttributes"/> attributes; an address of the wrong size or
/// family; a FINGERPRINT that is not last or does not match; an ERROR-CODE out of range; an unknown message type.
/// </summary>
public static class StunParser
{
    /// <summary>The cheap test the socket demultiplexer uses: two zero bits, the magic cookie, a plausible length.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= StunConstants.HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunConstants.MagicCookie;

    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage message, out string error)
    {
        message = null!;
        if (datagram.Length < StunConstants.HeaderLength) return Fail(out error, $"truncated: {datagram.Length} bytes, a header needs 20");
        if (datagram.Length > StunConstants.MaxMessageLength) return Fail(out error, $"oversized: {datagram.Length} bytes, limit {StunConstants.MaxMessageLength}");
        if ((datagram[0] & 0xC0) != 0) return Fail(out error, "leading bits are not 00");
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunConstants.MagicCookie) return Fail(out error, "no magic cookie");
        ushort rawType = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (length % 4 != 0) return Fail(out error, $"length {length} is not a multiple of 4");
        if (length != datagram.Length - StunConstants.HeaderLength)
            return Fail(out error, $"length field says {length} bytes of attributes, the datagram has {datagram.Length - StunConstants.HeaderLength}");
        if (!Enum.IsDefined((StunMessageType)rawType)) return Fail(out error, $"message type 0x{rawType:x4} is not a Binding message");
        var type = (StunMessageType)rawType;
        var id = StunTransactionId.Read(datagram.Slice(8, StunConstants.TransactionIdLength));

        IPEndPoint? xorMapped = null, mapped = null;
        int? errorCode = null;
        string? reason = null, software = null;
        List<ushort>? unknown = null;
        bool fingerprint = false;
        int offset = StunConstants.HeaderLength, count = 0;
        while (offset < datagram.Length)
        {
            if (fingerprint) return Fail(out error, "an attribute follows FINGERPRINT");
            if (++count > StunConstants.MaxAttributes) return Fail(out error, $"more than {StunConstants.MaxAttributes} attributes");
            if (datagram.Length - offset < 4) return Fail(out error, "truncated attribute header");
            ushort attrType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int attrLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (attrLength + 3) & ~3;
            if (padded > datagram.Length - offset - 4)
                return Fail(out error, $"attribute 0x{attrType:x4} claims {attrLength} bytes, only {datagram.Length - offset - 4} remain");
            var value = datagram.Slice(offset + 4, attrLength);
            switch (attrType)
            {
                case StunAttributeType.XorMappedAddress:
                    if (!TryReadAddress(value, datagram.Slice(4, 16), out var x, out error)) return Fail(out error, "XOR-MAPPED-ADDRESS: " + error);
                    xorMapped ??= x;
                    break;
                case StunAttributeType.MappedAddress:
                    if (!TryReadAddress(value, default, out var m, out error)) return Fail(out error, "MAPPED-ADDRESS: " + error);
                    mapped ??= m;
                    break;
                case StunAttributeType.ErrorCode:
                    if (value.Length < 4) return Fail(out error, "ERROR-CODE shorter than 4 bytes");
                    int cls = value[2] & 0x07, number = value[3];
                    if (cls is < 3 or > 6 || number > 99) return Fail(out error, $"ERROR-CODE class {cls} number {number} out of range");
                    errorCode = cls * 100 + number;
                    reason = Encoding.UTF8.GetString(value[4..]);
                    break;
                case StunAttributeType.Software:
                    software = Encoding.UTF8.GetString(value);
                    break;
                case StunAttributeType.Fingerprint:
                    if (attrLength != 4) return Fail(out error, $"FINGERPRINT of {attrLength} bytes");
                    uint expected = Crc32.Compute(datagram[..offset]) ^ StunConstants.FingerprintXor;
                    if (BinaryPrimitives.ReadUInt32BigEndian(value) != expected) return Fail(out error, "FINGERPRINT does not match");
                    fingerprint = true;
                    break;
                default:
                    if (attrType < 0x8000 && !StunAttributeType.IsKnownRequired(attrType)) (unknown ??= []).Add(attrType);
                    break;
            }
            offset += 4 + padded;
        }
        message = new StunMessage(type, id, xorMapped, mapped, errorCode, reason, software, unknown ?? [], fingerprint);
        error = "";
        return true;
    }

    /// <param name="xorKey">cookie ‖ transaction id (16 bytes) for XOR-MAPPED-ADDRESS; empty for MAPPED-ADDRESS.</param>
    private static bool TryReadAddress(ReadOnlySpan<byte> value, ReadOnlySpan<byte> xorKey, out IPEndPoint endPoint, out string error)
    {
        endPoint = null!;
        if (value.Length < 4) return Fail(out error, $"{value.Length} bytes");
        byte family = value[1];
        int addressLength = family switch { 0x01 => 4, 0x02 => 16, _ => 0 };
        if (addressLength == 0) return Fail(out error, $"unknown family 0x{family:x2}");
        if (value.Length != 4 + addressLength) return Fail(out error, $"{value.Length} bytes for family 0x{family:x2}");
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (!xorKey.IsEmpty)
        {
            port ^= (ushort)(StunConstants.MagicCookie >> 16);
            for (int i = 0; i < addressLength; i++) address[i] ^= xorKey[i];
        }
        endPoint = new IPEndPoint(new IPAddress(address), port);
        error = "";
        return true;
    }

    private static bool Fail(out string error, string why)
    {
        error = why;
        return false;
    }
}
