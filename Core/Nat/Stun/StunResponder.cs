// The STUN server's whole decision for one datagram: answer a Binding request with the sender's address, or refuse.
using System.Net;

namespace P2PChat.Core.Nat.Stun;

/// <summary>
/// Pure: given a received datagram and its source, writes the answer (XOR-MAPPED-ADDRESS, plus FINGERPRINT when the
/// request carried one and it still fits) or returns a refusal reason. Never answers with more bytes than it received,
/// so the server cannot amplify a spoofed flood: a request smaller than the answer (a bare 20-byte request) is
/// refused; clients pad (<see cref="StunWriter.PaddedRequestLength"/>). Indications and responses are never answered.
/// </summary>
public static class StunResponder
{
    /// <returns>the answer's length, or 0 with <paramref name="refusal"/> saying why nothing is sent.</returns>
    public static int Answer(ReadOnlySpan<byte> request, IPEndPoint source, Span<byte> answer, out string refusal)
    {
        if (!StunParser.TryParse(request, out var message, out var error))
        {
            refusal = "malformed STUN: " + error;
            return 0;
        }
        if (message.Type != StunMessageType.BindingRequest)
        {
            refusal = $"not a Binding request ({message.Type})";
            return 0;
        }
        if (message.UnknownRequired.Count > 0)
        {
            // RFC 8489 would answer 420 with UNKNOWN-ATTRIBUTES; staying silent avoids building error answers for junk.
            refusal = $"unknown comprehension-required attribute 0x{message.UnknownRequired[0]:x4}";
            return 0;
        }
        bool fingerprint = message.HasFingerprint && StunWriter.BindingSuccessLength(source, true) <= request.Length;
        int length = StunWriter.BindingSuccessLength(source, fingerprint);
        if (length > request.Length)
        {
            refusal = $"request of {request.Length} bytes is smaller than the {length}-byte answer (pad requests to {StunWriter.PaddedRequestLength})";
            return 0;
        }
        refusal = "";
        return StunWriter.WriteBindingSuccess(answer, message.TransactionId, source, fingerprint);
    }
}
