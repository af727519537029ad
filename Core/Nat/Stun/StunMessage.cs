// A parsed STUN message: what a Binding exchange needs from it, nothing more.
using System.Net;

namespace P2PChat.Core.Nat.Stun;

/// <param name="Type">Binding request, indication, success or error.</param>
/// <param name="XorMappedAddress">XOR-MAPPED-ADDRESS, already un-XORed.</param>
/// <param name="MappedAddress">MAPPED-ADDRESS (old servers send only this).</param>
/// <param name="ErrorCode">ERROR-CODE class*100+number, e.g. 420.</param>
/// <param name="UnknownRequired">comprehension-required attribute types this parser does not know.</param>
/// <param name="HasFingerprint">a valid FINGERPRINT ended the message.</param>
public sealed record StunMessage(
    StunMessageType Type,
    StunTransactionId TransactionId,
    IPEndPoint? XorMappedAddress,
    IPEndPoint? MappedAddress,
    int? ErrorCode,
    string? ErrorReason,
    string? Software,
    IReadOnlyList<ushort> UnknownRequired,
    bool HasFingerprint)
{
    /// <summary>The reflexive address the server saw: XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS.</summary>
    public IPEndPoint? Reflexive => XorMappedAddress ?? MappedAddress;
}
