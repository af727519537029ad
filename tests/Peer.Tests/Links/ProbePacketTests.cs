// The stand-in check packet: authenticated by the introduction token and the sender's role, answered at the same size.
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class ProbePacketTests
{
    private static readonly byte[] Token = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_ping_verifies_only_with_the_same_token_and_the_senders_role()
    {
        var ping = ProbePacket.Write(ProbePacket.Ping, 42, Token, senderControls: true);
        Assert.Equal(ProbePacket.Length, ping.Length);
        Assert.True(ProbePacket.Verify(ping, Token, senderControls: true));
        Assert.False(ProbePacket.Verify(ping, Token, senderControls: false));   // our own ping reflected back is not the peer's
        Assert.False(ProbePacket.Verify(ping, new byte[16], senderControls: true));
        Assert.Equal((ProbePacket.Ping, 42UL), ProbePacket.Read(ping));
    }

    [Fact]
    public void A_pong_is_exactly_as_long_as_the_ping_it_answers_and_tampering_is_refused()
    {
        var ping = ProbePacket.Write(ProbePacket.Ping, 7, Token, senderControls: false);
        var pong = ProbePacket.Write(ProbePacket.Pong, 7, Token, senderControls: true);
        Assert.Equal(ping.Length, pong.Length);
        for (var i = 1; i < pong.Length; i++)
        {
            var bad = (byte[])pong.Clone();
            bad[i] ^= 0x40;
            Assert.False(ProbePacket.Verify(bad, Token, senderControls: true), $"byte {i} flipped");
        }
        Assert.False(ProbePacket.LooksLikeProbe(pong.AsSpan(0, 25)));
        Assert.False(ProbePacket.LooksLikeProbe(new byte[26]));
    }
}
