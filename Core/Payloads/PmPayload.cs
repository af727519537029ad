// The plaintext carried inside a PM envelope: a kind byte, then the body (so control messages never show as chat).
using System.Buffers.Binary;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Groups;

namespace P2PChat.Core.Payloads;

/// <summary>
/// Layout (encrypted as a whole by the pairwise session): <c>kind (1) | body</c>, kinds from <see cref="PayloadKind"/>.
/// Kind 0x01 = chat text, body = UTF-8.
/// Kind 0x02 = our sender key for an invite-only channel (a control message, never shown):
/// body = channel tag u32 BE (4) | SenderKeyDistribution (106).
/// A kind this peer does not know is dropped with a decrypt_failed event.
/// </summary>
public static class PmPayload
{
    public const byte Text = (byte)PayloadKind.Text;
    public const byte SenderKey = (byte)PayloadKind.SenderKey;

    public static byte[] EncodeText(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var payload = new byte[1 + body.Length];
        payload[0] = Text;
        body.CopyTo(payload, 1);
        return payload;
    }

    public static byte[] EncodeSenderKey(uint channelTag, SenderKeyDistribution distribution)
    {
        var payload = new byte[1 + 4 + SenderKeyDistribution.EncodedLength];
        payload[0] = SenderKey;
        BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(1), channelTag);
        distribution.Encode().CopyTo(payload, 5);
        return payload;
    }

    /// <summary>The channel and sender key of a kind-0x02 payload; null for another kind. Throws Malformed if it is cut.</summary>
    public static (uint Channel, SenderKeyDistribution Distribution)? DecodeSenderKey(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1 || payload[0] != SenderKey) return null;
        if (payload.Length != 1 + 4 + SenderKeyDistribution.EncodedLength)
            throw new CryptoProtocolException(CryptoFailure.Malformed, "sender key payload has the wrong length");
        return (BinaryPrimitives.ReadUInt32BigEndian(payload[1..]), SenderKeyDistribution.Decode(payload[5..]));
    }

    /// <summary>The text of a chat payload; null when it is empty or of another kind.</summary>
    public static string? DecodeText(ReadOnlySpan<byte> payload) =>
        payload.Length >= 1 && payload[0] == Text ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload[1..]) : null;
}
