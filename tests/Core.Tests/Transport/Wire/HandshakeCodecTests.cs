// Tests of the Initial, Retry and Accept packet codec.
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Wire;
using Xunit;

namespace P2PChat.Core.Tests.Transport.Wire;

public sealed class HandshakeCodecTests
{
    [Fact]
    public void Initial_is_padded_to_1200_and_round_trips()
    {
        var buffer = new byte[1500];
        int length = HandshakeCodec.WriteInitial(buffer, 0x0102030405060708, [1, 2, 3]);
        Assert.Equal(HandshakeCodec.MinInitialSize, length);
        Assert.True(HandshakeCodec.TryParse(buffer.AsSpan(0, length), out var packet));
        Assert.Equal(PacketType.Initial, packet.Type);
        Assert.Equal(0x0102030405060708UL, packet.ClientId);
        Assert.True(packet.Token.SequenceEqual(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public void A_short_initial_is_rejected_so_answers_never_exceed_it()
    {
        var buffer = new byte[1500];
        int length = HandshakeCodec.WriteInitial(buffer, 42, []);
        Assert.False(HandshakeCodec.TryParse(buffer.AsSpan(0, length - 1), out _));
    }

    [Fact]
    public void Retry_and_accept_round_trip_and_are_smaller_than_an_initial()
    {
        var buffer = new byte[256];
        int retry = HandshakeCodec.WriteRetry(buffer, 7, new byte[AddressValidationCookies.TokenLength]);
        Assert.True(HandshakeCodec.TryParse(buffer.AsSpan(0, retry), out var p) && p.Type == PacketType.Retry && p.ClientId == 7);
        Assert.True(retry < HandshakeCodec.MinInitialSize / 3);
        int accept = HandshakeCodec.WriteAccept(buffer, 7, 9);
        Assert.Equal(HandshakeCodec.AcceptSize, accept);
        Assert.True(HandshakeCodec.TryParse(buffer.AsSpan(0, accept), out p) && p.Type == PacketType.Accept && p.ServerId == 9);
    }

    [Fact]
    public void Any_flipped_byte_before_the_padding_is_detected()
    {
        var buffer = new byte[64];
        int length = HandshakeCodec.WriteAccept(buffer, 7, 9);
        for (int i = 0; i < length; i++)
        {
            var copy = buffer.AsSpan(0, length).ToArray();
            copy[i] ^= 0x40;
            Assert.False(HandshakeCodec.TryParse(copy, out _));
        }
    }
}
