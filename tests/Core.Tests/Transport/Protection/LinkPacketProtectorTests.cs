// Tests of the links' packet protection (AEGIS-128L, chosen by measurement): layout, round trip, every flipped bit, replays, and a real link's keys.
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Links;
using P2PChat.Core.Tests.Crypto.Support;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using Xunit;
using static P2PChat.Core.Tests.Transport.Protection.ProtectedPackets;

namespace P2PChat.Core.Tests.Transport.Protection;

public sealed class LinkPacketProtectorTests
{

    private static (IPacketProtector Client, IPacketProtector Server) Pair() =>
        (AeadPacketProtector.ForLink(TestKeys.ClientToServer, TestKeys.ServerToClient), AeadPacketProtector.ForLink(TestKeys.ServerToClient, TestKeys.ClientToServer));

    [Fact]
    public void Overhead_is_the_masked_sequence_and_the_aegis_tag()
    {
        var (client, _) = Pair();
        Assert.Equal(8 + 32, client.Overhead);
        Assert.Equal(8, client.PlaintextOffset);
    }

    [Fact]
    public void A_sealed_1200_byte_packet_opens_on_the_other_side_only()
    {
        var (client, server) = Pair();
        var payload = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();
        var packet = Seal(client, payload);
        Assert.Equal(-1, packet.AsSpan().IndexOf(payload.AsSpan(0, 16)));
        Assert.False(Open(client, packet, out _));
        Assert.True(Open(server, packet, out var plaintext));
        Assert.Equal(payload, plaintext);
    }

    [Fact]
    public void Flipping_any_bit_anywhere_including_the_header_is_detected()
    {
        var (client, server) = Pair();
        var packet = Seal(client, new byte[40]);
        for (int i = 0; i < packet.Length; i++)
        {
            var corrupted = packet.ToArray();
            corrupted[i] ^= 0x01;
            Assert.False(Open(server, corrupted, out _), $"byte {i}");
        }
        Assert.True(Open(server, packet, out _));
    }

    [Fact]
    public void Replays_are_dropped_and_reordering_within_the_window_is_accepted()
    {
        var (client, server) = Pair();
        var packets = Enumerable.Range(0, 10).Select(i => Seal(client, new byte[] { (byte)i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 })).ToArray();
        Assert.True(Open(server, packets[5], out _));
        Assert.True(Open(server, packets[2], out _));
        Assert.False(Open(server, packets[5], out _));
        Assert.True(Open(server, packets[9], out _));
        Assert.True(Open(server, packets[0], out var first));
        Assert.Equal(0, first[0]);
    }

    [Fact]
    public void The_keys_of_a_real_link_handshake_protect_both_directions()
    {
        using var link = new LinkPair("packets").Run();
        var alice = LinkProtection.For(link.Initiator.Keys);
        var bob = LinkProtection.For(link.Responder.Keys);
        Assert.True(Open(bob, Seal(alice, "to bob"u8), out var toBob));
        Assert.True(Open(alice, Seal(bob, "to alice"u8), out var toAlice));
        Assert.Equal("to bob"u8.ToArray(), toBob);
        Assert.Equal("to alice"u8.ToArray(), toAlice);
    }
}
