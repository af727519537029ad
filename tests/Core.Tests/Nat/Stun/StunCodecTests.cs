// The STUN codec against RFC 5769's sample, round trips, and every way a datagram can be malformed.
using System.Buffers.Binary;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Nat.Stun;
using Xunit;

namespace P2PChat.Core.Tests.Nat.Stun;

public sealed class StunCodecTests
{
    /// <summary>RFC 5769 section 2.2, "Sample IPv4 Response": SOFTWARE, XOR-MAPPED-ADDRESS 192.0.2.1:32853, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    private static readonly byte[] Rfc5769Ipv4Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
        "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96");

    [Fact]
    public void Parses_the_RFC_5769_IPv4_sample_response_and_checks_its_fingerprint()
    {
        Assert.True(StunParser.TryParse(Rfc5769Ipv4Response, out var m, out var error), error);
        Assert.Equal(StunMessageType.BindingSuccess, m.Type);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), m.XorMappedAddress);
        Assert.Equal("test vector", m.Software);   // 11 bytes, padded with a space
        Assert.True(m.HasFingerprint);
        Assert.Equal(StunTransactionId.Read(Convert.FromHexString("b7e7a701bc34d686fa87dfae")), m.TransactionId);
    }

    [Fact]
    public void A_changed_byte_under_the_fingerprint_is_refused()
    {
        var copy = (byte[])Rfc5769Ipv4Response.Clone();
        copy[30] ^= 1;
        Assert.False(StunParser.TryParse(copy, out _, out var error));
        Assert.Contains("FINGERPRINT", error);
    }

    [Fact]
    public void A_padded_request_round_trips_and_ends_with_a_fingerprint()
    {
        var id = StunTransactionId.NewRandom();
        var buffer = new byte[128];
        int length = StunWriter.WriteBindingRequest(buffer, id);
        Assert.Equal(StunWriter.PaddedRequestLength, length);
        Assert.True(StunParser.TryParse(buffer.AsSpan(0, length), out var m, out var error), error);
        Assert.Equal(StunMessageType.BindingRequest, m.Type);
        Assert.Equal(id, m.TransactionId);
        Assert.True(m.HasFingerprint);
        Assert.True(StunParser.LooksLikeStun(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData("198.51.100.7", 40000, true)]
    [InlineData("198.51.100.7", 1, false)]
    [InlineData("2001:db8::1:2", 65535, true)]
    [InlineData("2001:db8::1:2", 3478, false)]
    public void A_success_answer_round_trips_its_xor_mapped_address(string address, int port, bool fingerprint)
    {
        var mapped = new IPEndPoint(IPAddress.Parse(address), port);
        var id = StunTransactionId.NewRandom();
        var buffer = new byte[StunWriter.LargestAnswer];
        int length = StunWriter.WriteBindingSuccess(buffer, id, mapped, fingerprint);
        Assert.Equal(StunWriter.BindingSuccessLength(mapped, fingerprint), length);
        Assert.True(StunParser.TryParse(buffer.AsSpan(0, length), out var m, out var error), error);
        Assert.Equal(mapped, m.XorMappedAddress);
        Assert.Equal(fingerprint, m.HasFingerprint);
        Assert.Equal(id, m.TransactionId);
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_refused_with_a_reason()
    {
        for (int cut = 0; cut < Rfc5769Ipv4Response.Length; cut++)
        {
            Assert.False(StunParser.TryParse(Rfc5769Ipv4Response.AsSpan(0, cut), out _, out var error));
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Every_prefix_with_a_matching_length_field_either_parses_or_names_its_fault()
    {
        // Split the sample at every attribute boundary and byte, fixing the header's length: the parser must never throw.
        for (int cut = 20; cut <= Rfc5769Ipv4Response.Length; cut++)
        {
            var copy = Rfc5769Ipv4Response.AsSpan(0, cut).ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(cut - 20));
            if (!StunParser.TryParse(copy, out _, out var error)) Assert.False(string.IsNullOrEmpty(error));
        }
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "0001000c2112a442000000000000000000000000", "length field" },                           // claims 12 bytes, has 0
        { "0001000a2112a442000000000000000000000000", "multiple of 4" },
        { "c00100002112a442000000000000000000000000", "leading bits" },
        { "000100002112a443000000000000000000000000", "magic cookie" },
        { "000300002112a442000000000000000000000000", "not a Binding" },
        { "010100082112a4420000000000000000000000000020000c00010000", "claims 12 bytes" },
        { "0101000c2112a442000000000000000000000000002000080003000000000000", "family 0x03" },
        { "010100142112a4420000000000000000000000008028000400000000002000080001000000000000", "FINGERPRINT" },
        { "010100082112a4420000000000000000000000000009000400000163", "ERROR-CODE" },         // class 1
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_messages_are_refused_with_a_clear_reason(string hex, string expected)
    {
        Assert.False(StunParser.TryParse(Convert.FromHexString(hex), out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void An_oversized_datagram_is_refused_before_parsing()
    {
        var big = new byte[StunConstants.MaxMessageLength + 4];
        StunWriter.WriteBindingRequest(big, StunTransactionId.NewRandom(), 64);
        Assert.False(StunParser.TryParse(big, out _, out var error));
        Assert.Contains("oversized", error);
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_reported_not_fatal()
    {
        var m = Convert.FromHexString("010100082112a4420000000000000000000000007777000400000000");
        Assert.True(StunParser.TryParse(m, out var parsed, out var error), error);
        Assert.Equal([(ushort)0x7777], parsed.UnknownRequired);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Prop.ForAll<byte[]>(bytes =>
        {
            StunParser.TryParse(bytes, out _, out _);
            // Also with a valid header in front, so the attribute walker sees the noise.
            var framed = new byte[20 + (bytes.Length & ~3)];
            BinaryPrimitives.WriteUInt16BigEndian(framed, 0x0101);
            BinaryPrimitives.WriteUInt16BigEndian(framed.AsSpan(2), (ushort)(framed.Length - 20));
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4), StunConstants.MagicCookie);
            bytes.AsSpan(0, framed.Length - 20).CopyTo(framed.AsSpan(20));
            StunParser.TryParse(framed, out _, out _);
        }).QuickCheckThrowOnFailure();
    }
}
