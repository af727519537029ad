// The server's answer rule: a Binding request gets the sender's address back, never in more bytes than it sent.
using System.Net;
using P2PChat.Core.Nat.Stun;
using Xunit;

namespace P2PChat.Core.Tests.Nat.Stun;

public sealed class StunResponderTests
{
    private static readonly IPEndPoint V4 = new(IPAddress.Parse("198.51.100.9"), 50000);
    private static readonly IPEndPoint V6 = new(IPAddress.Parse("2001:db8::9"), 50000);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_padded_request_gets_the_source_address_in_no_more_bytes_than_it_had(bool ipv6)
    {
        var source = ipv6 ? V6 : V4;
        var request = new byte[StunWriter.PaddedRequestLength];
        var id = StunTransactionId.NewRandom();
        StunWriter.WriteBindingRequest(request, id);
        var answer = new byte[StunWriter.LargestAnswer];
        int length = StunResponder.Answer(request, source, answer, out var refusal);
        Assert.True(length > 0, refusal);
        Assert.True(length <= request.Length);
        Assert.True(StunParser.TryParse(answer.AsSpan(0, length), out var m, out _));
        Assert.Equal(source, m.XorMappedAddress);
        Assert.Equal(id, m.TransactionId);
        Assert.True(m.HasFingerprint);
    }

    [Fact]
    public void An_IPv4_mapped_source_is_answered_as_IPv4()
    {
        var request = new byte[64];
        StunWriter.WriteBindingRequest(request, StunTransactionId.NewRandom());
        var answer = new byte[StunWriter.LargestAnswer];
        int length = StunResponder.Answer(request, new IPEndPoint(V4.Address.MapToIPv6(), V4.Port), answer, out _);
        Assert.True(StunParser.TryParse(answer.AsSpan(0, length), out var m, out _));
        Assert.Equal(V4, m.XorMappedAddress);
    }

    [Theory]
    [InlineData(28, false)]  // header + FINGERPRINT: smaller than an IPv4 answer with fingerprint, bigger than one without
    [InlineData(32, false)]
    [InlineData(28, true)]   // IPv6 answers need 44 bytes at least
    [InlineData(40, true)]
    public void A_request_smaller_than_the_answer_is_refused_or_answered_without_fingerprint(int size, bool ipv6)
    {
        var source = ipv6 ? V6 : V4;
        var request = new byte[size];
        StunWriter.WriteBindingRequest(request, StunTransactionId.NewRandom(), size);
        var answer = new byte[StunWriter.LargestAnswer];
        int length = StunResponder.Answer(request, source, answer, out var refusal);
        if (length == 0) Assert.Contains("smaller than", refusal);
        Assert.True(length <= size);
    }

    [Fact]
    public void A_bare_20_byte_request_is_refused()
    {
        var request = Convert.FromHexString("000100002112a442000102030405060708090a0b");
        Assert.Equal(0, StunResponder.Answer(request, V4, new byte[64], out var refusal));
        Assert.Contains("smaller than", refusal);
    }

    [Theory]
    [InlineData("0101000c2112a442000102030405060708090a0b000000000000000000000000", "not a Binding request")]  // a success answer
    [InlineData("001100002112a442000102030405060708090a0b", "not a Binding request")]                          // an indication
    [InlineData("0001000c2112a442000102030405060708090a0b", "malformed")]
    [InlineData("000100042112a442000102030405060708090a0b7777000000000000000000000000000000000000", "malformed")]
    public void Anything_but_a_well_formed_request_is_refused_with_a_reason(string hex, string expected)
    {
        Assert.Equal(0, StunResponder.Answer(Convert.FromHexString(hex), V4, new byte[64], out var refusal));
        Assert.Contains(expected, refusal);
    }

    [Fact]
    public void A_request_with_an_unknown_required_attribute_is_refused()
    {
        var request = Convert.FromHexString("0001002c2112a442000102030405060708090a0b7777000000260024" + new string('0', 72));
        Assert.Equal(0, StunResponder.Answer(request, V4, new byte[64], out var refusal));
        Assert.Contains("0x7777", refusal);
    }
}
