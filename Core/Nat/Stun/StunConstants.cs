// The numbers of STUN (RFC 8489) this code speaks: magic cookie, message types, attribute types, size limits.
namespace P2PChat.Core.Nat.Stun;

/// <summary>
/// Message type (14 bits after the two leading zero bits): method bits M0..M11 interleaved with class bits C0 (bit 4)
/// and C1 (bit 8). Binding (method 0x001): request 0x0001, indication 0x0011, success 0x0101, error 0x0111.
/// </summary>
public enum StunMessageType : ushort
{
    BindingRequest = 0x0001,
    BindingIndication = 0x0011,
    BindingSuccess = 0x0101,
    BindingError = 0x0111,
}

/// <summary>Attribute types used here. 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF comprehension-optional.</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort PasswordAlgorithm = 0x001D;
    public const ushort Userhash = 0x001E;
    public const ushort XorMappedAddress = 0x0020;
    /// <summary>RFC 5780: filler the client adds so that the server's answer is never larger than the request.</summary>
    public const ushort Padding = 0x0026;
    public const ushort Software = 0x8022;
    public const ushort AlternateServer = 0x8023;
    public const ushort Fingerprint = 0x8028;
    /// <summary>RFC 5780 (sent by coturn): the address the answer came from / the server's other address.</summary>
    public const ushort ResponseOrigin = 0x802B;
    public const ushort OtherAddress = 0x802C;

    /// <summary>Comprehension-required attributes this parser knows; any other one in 0x0000-0x7FFF is "unknown required".</summary>
    public static bool IsKnownRequired(ushort type) => type is MappedAddress or Username or MessageIntegrity or ErrorCode
        or UnknownAttributes or Realm or Nonce or MessageIntegritySha256 or PasswordAlgorithm or Userhash or XorMappedAddress or Padding
        // RFC 5780 CHANGE-REQUEST (0x0003) is harmless to ignore in a Binding request.
        or 0x0003;
}

public static class StunConstants
{
    public const uint MagicCookie = 0x2112A442;
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    /// <summary>FINGERPRINT value = CRC-32 of the message before it, XOR this ("STUN").</summary>
    public const uint FingerprintXor = 0x5354554E;
    /// <summary>Larger datagrams are refused without parsing (RFC 8489 recommends fitting in 548 bytes; 1280 leaves room).</summary>
    public const int MaxMessageLength = 1280;
    /// <summary>A message with more attributes than this is refused.</summary>
    public const int MaxAttributes = 32;
    /// <summary>The well-known STUN port (RFC 8489 section 18.6).</summary>
    public const int DefaultPort = 3478;
}
