// Builds the STUN messages this code sends: padded Binding requests and Binding success answers. Pure: no I/O.
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Nat.Stun;

/// <summary>Writes into a caller's buffer and returns the message length (see <see cref="StunParser"/> for the layout).</summary>
public static class StunWriter
{
    /// <summary>Header + XOR-MAPPED-ADDRESS for IPv6 + FINGERPRINT: no answer of ours is longer.</summary>
    public const int LargestAnswer = StunConstants.HeaderLength + 4 + 20 + 8;

    /// <summary>What our requests are padded to, so that any of our answers fits in a request's size.</summary>
    public const int PaddedRequestLength = 64;

    /// <summary>
    /// A Binding request padded with a PADDING attribute (RFC 5780) to <paramref name="paddedLength"/> bytes, ending
    /// in FINGERPRINT. Padding lets a server that never answers with more bytes than it received answer it.
    /// </summary>
    public static int WriteBindingRequest(Span<byte> destination, StunTransactionId id, int paddedLength = PaddedRequestLength)
    {
        int minimal = StunConstants.HeaderLength + 8;
        if (paddedLength < minimal || paddedLength % 4 != 0) throw new ArgumentOutOfRangeException(nameof(paddedLength));
        int offset = WriteHeader(destination, StunMessageType.BindingRequest, id);
        int padding = paddedLength - minimal - 4;
        if (padding >= 0)
        {
            WriteAttributeHeader(destination[offset..], StunAttributeType.Padding, padding);
            destination.Slice(offset + 4, padding).Clear();
            offset += 4 + padding;
        }
        return WriteFingerprint(destination, offset);
    }

    /// <summary>A Binding success answer carrying XOR-MAPPED-ADDRESS of <paramref name="mapped"/>, with FINGERPRINT if asked.</summary>
    public static int WriteBindingSuccess(Span<byte> destination, StunTransactionId id, IPEndPoint mapped, bool fingerprint)
    {
        int offset = WriteHeader(destination, StunMessageType.BindingSuccess, id);
        offset += WriteXorAddress(destination, offset, mapped);
        return fingerprint ? WriteFingerprint(destination, offset) : SetLength(destination, offset);
    }

    /// <summary>How long <see cref="WriteBindingSuccess"/> would be.</summary>
    public static int BindingSuccessLength(IPEndPoint mapped, bool fingerprint) =>
        StunConstants.HeaderLength + 4 + (mapped.AddressFamily == AddressFamily.InterNetworkV6 && !mapped.Address.IsIPv4MappedToIPv6 ? 20 : 8) + (fingerprint ? 8 : 0);

    private static int WriteHeader(Span<byte> destination, StunMessageType type, StunTransactionId id)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunConstants.MagicCookie);
        id.Write(destination.Slice(8, StunConstants.TransactionIdLength));
        return StunConstants.HeaderLength;
    }

    private static void WriteAttributeHeader(Span<byte> destination, ushort type, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }

    private static int WriteXorAddress(Span<byte> message, int offset, IPEndPoint endPoint)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        int addressLength = address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4;
        var value = message.Slice(offset + 4, 4 + addressLength);
        WriteAttributeHeader(message[offset..], StunAttributeType.XorMappedAddress, value.Length);
        value[0] = 0;
        value[1] = addressLength == 4 ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], (ushort)(endPoint.Port ^ (ushort)(StunConstants.MagicCookie >> 16)));
        address.TryWriteBytes(value[4..], out _);
        var key = message.Slice(4, 16); // cookie ‖ transaction id
        for (int i = 0; i < addressLength; i++) value[4 + i] ^= key[i];
        return 4 + value.Length;
    }

    private static int SetLength(Span<byte> message, int end)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)(end - StunConstants.HeaderLength));
        return end;
    }

    private static int WriteFingerprint(Span<byte> message, int offset)
    {
        SetLength(message, offset + 8);
        WriteAttributeHeader(message[offset..], StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(message[(offset + 4)..], Crc32.Compute(message[..offset]) ^ StunConstants.FingerprintXor);
        return offset + 8;
    }
}
