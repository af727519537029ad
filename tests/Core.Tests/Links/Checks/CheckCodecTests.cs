// The check packet codec and its keys: layout byte by byte, round trips, every refusal, forgeries, random bytes.
using System.Buffers.Binary;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Links.Checks;
using P2PChat.Core.Nat.Stun;
using Xunit;

namespace P2PChat.Core.Tests.Links.Checks;

public sealed class CheckCodecTests
{
    private static readonly byte[] Token = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];
    private static readonly CheckKeys Keys = new(Token);

    private static CheckPacket Request(IPEndPoint? to = null) =>
        new(CheckPacketType.Request, CheckFlags.Controlling | CheckFlags.Nominate, Keys.SessionId, 0x0102030405060708, 0x6E7F1EFF, to ?? IPEndPoint.Parse("192.0.2.7:4242"));

    [Fact]
    public void A_request_is_laid_out_as_documented()
    {
        var bytes = Keys.Seal(Request());

        Assert.Equal(64, bytes.Length);
        Assert.Equal(0xC1, bytes[0]);
        Assert.Equal(1, bytes[1]);
        Assert.Equal(0x03, bytes[2]);
        Assert.Equal(0, bytes[3]);
        Assert.Equal(Keys.SessionId, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(4)));
        Assert.Equal(0x0102030405060708ul, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(12)));
        Assert.Equal(0x6E7F1EFFu, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)));
        Assert.Equal(4, bytes[24]);
        Assert.Equal(4242, BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(25)));
        Assert.Equal(new byte[] { 192, 0, 2, 7 }, bytes[27..31]);
        Assert.All(bytes[31..48], b => Assert.Equal(0, b));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(
            System.Security.Cryptography.HMACSHA256.HashData(Token, "p2pchat check key v1"u8), bytes.AsSpan(0, 48));
        Assert.Equal(mac[..16], bytes[48..64]);
    }

    [Theory]
    [InlineData("192.0.2.7:4242")]
    [InlineData("[2001:db8::1]:65535")]
    [InlineData("0.0.0.0:0")]
    public void Requests_and_responses_round_trip(string address)
    {
        foreach (var packet in new[]
        {
            Request(IPEndPoint.Parse(address)),
            new CheckPacket(CheckPacketType.Response, CheckFlags.Nominate, Keys.SessionId, ulong.MaxValue, 0, IPEndPoint.Parse(address)),
            new CheckPacket(CheckPacketType.Request, CheckFlags.Probe, Keys.SessionId, 1, 7, null),
        })
        {
            var bytes = Keys.Seal(packet);
            Assert.True(Keys.Verify(bytes));
            Assert.True(CheckCodec.TryParse(bytes, out var back, out var error), error);
            Assert.Equal(packet, back);
        }
    }

    [Fact]
    public void Check_stun_and_transport_datagrams_are_told_apart_by_their_first_bytes()
    {
        var check = Keys.Seal(Request());
        Assert.True(CheckCodec.LooksLikeCheck(check));
        Assert.False(StunParser.LooksLikeStun(check));
        for (byte transportType = 0x01; transportType <= 0x04; transportType++)
            Assert.False(CheckCodec.LooksLikeCheck([transportType, .. new byte[63]]));
        var stun = new byte[20];
        BinaryPrimitives.WriteUInt16BigEndian(stun, 0x0001);
        BinaryPrimitives.WriteUInt32BigEndian(stun.AsSpan(4), 0x2112A442);
        Assert.True(StunParser.LooksLikeStun(stun));
        Assert.False(CheckCodec.LooksLikeCheck(stun));
    }

    public static TheoryData<string, Func<byte[], byte[]>> Malformed => new()
    {
        { "a check packet is 64 bytes, not 63", b => b[..63] },
        { "a check packet is 64 bytes, not 65", b => [.. b, 0] },
        { "type 0xC3 is no check packet", b => Set(b, 0, 0xC3) },
        { "version 2 is not 1", b => Set(b, 1, 2) },
        { "reserved flag bits set", b => Set(b, 2, 0x08) },
        { "reserved flag bits set", b => Set(b, 3, 1) },
        { "padding is not zero", b => Set(b, 45, 1) },
        { "address family 5 is neither 4 nor 6", b => Set(b, 24, 5) },
        { "IPv4 address with trailing bytes", b => Set(b, 35, 1) },
        { "an address without a family", b => Set(b, 24, 0) },
        { "a response carries no priority", b => Set(b, 0, 0xC2) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_packets_are_refused_with_a_reason(string reason, Func<byte[], byte[]> spoil)
    {
        var bytes = spoil(Keys.Seal(Request()));

        Assert.False(CheckCodec.TryParse(bytes, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Every_changed_bit_and_every_other_token_fails_verification()
    {
        var bytes = Keys.Seal(Request());
        for (int bit = 0; bit < 64 * 8; bit++)
        {
            var copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Keys.Verify(copy), $"bit {bit} flipped still verified");
        }
        var stranger = new CheckKeys(Token.Select(b => (byte)~b).ToArray());
        Assert.NotEqual(Keys.SessionId, stranger.SessionId);
        Assert.False(stranger.Verify(bytes));
        Assert.False(Keys.Verify(stranger.Seal(Request() with { SessionId = Keys.SessionId })));
    }

    [Fact]
    public void Short_tokens_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CheckKeys(new byte[15]));
    }

    [Fact]
    public void Random_bytes_never_throw_and_never_verify()
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(3000).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll<byte[], bool>((body, asCheck) =>
        {
            body ??= [];
            if (asCheck && body.Length >= 64)
            {
                body[0] = 0xC1;
                BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(4), Keys.SessionId);
                body = body[..64];
            }
            CheckCodec.TryParse(body, out _, out _);
            CheckCodec.TryReadSessionId(body, out _);
            return !Keys.Verify(body);
        }));
    }

    private static byte[] Set(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }
}
