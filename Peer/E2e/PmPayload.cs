// The plaintext carried inside a PM envelope: a kind byte, then the body (so control messages never show as chat).
using System.Text;

namespace P2PChat.Peer.E2e;

/// <summary>
/// Layout (encrypted as a whole by the pairwise session): <c>kind (1) | body</c>.
/// Kind 0x01 = chat text, body = UTF-8. Other kinds (0x02 is reserved for sender-key distributions of groups) are
/// control messages; a kind this peer does not know is dropped with a decrypt_failed event.
/// </summary>
public static class PmPayload
{
    public const byte Text = 0x01;
    public const byte SenderKeyDistribution = 0x02;

    public static byte[] EncodeText(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var payload = new byte[1 + body.Length];
        payload[0] = Text;
        body.CopyTo(payload, 1);
        return payload;
    }

    /// <summary>The text of a chat payload; null when it is empty or of another kind.</summary>
    public static string? DecodeText(ReadOnlySpan<byte> payload) =>
        payload.Length >= 1 && payload[0] == Text ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload[1..]) : null;
}
