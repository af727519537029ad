// The chat payload codec: text round trips, a payload of another kind is not text, a cut sender-key payload is refused.
using P2PChat.Core.Crypto;
using P2PChat.Core.Payloads;
using Xunit;

namespace P2PChat.Core.Tests.Payloads;

public sealed class PmPayloadTests
{
    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("héllo 👋 wörld")]
    public void Text_round_trips_behind_its_kind_byte(string text)
    {
        var payload = PmPayload.EncodeText(text);
        Assert.Equal((byte)PayloadKind.Text, payload[0]);
        Assert.Equal(text, PmPayload.DecodeText(payload));
    }

    [Fact]
    public void A_payload_of_another_kind_is_neither_text_nor_a_sender_key()
    {
        byte[] other = [0x20, 1, 2, 3];
        Assert.Null(PmPayload.DecodeText(other));
        Assert.Null(PmPayload.DecodeSenderKey(other));
        Assert.Null(PmPayload.DecodeText([]));
    }

    [Fact]
    public void A_cut_sender_key_payload_is_refused_as_malformed()
    {
        var e = Assert.Throws<CryptoProtocolException>(() => PmPayload.DecodeSenderKey([(byte)PayloadKind.SenderKey, 0, 0, 0, 7, 1]));
        Assert.Equal(CryptoFailure.Malformed, e.Reason);
    }
}
