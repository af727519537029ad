// Tests of AES-GCM packet protection: round trip, header authentication, corruption, replay and key mismatch.
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Transport;
using P2PChat.Core.Transport.Protection;
using Xunit;
using static P2PChat.Core.Tests.Transport.Protection.ProtectedPackets;

namespace P2PChat.Core.Tests.Transport.Protection;

public sealed class AesGcmPacketProtectorTests
{

    private static (AesGcmPacketProtector Client, AesGcmPacketProtector Server) Pair() =>
        ((AesGcmPacketProtector)TestKeys.Protector(ConnectionRole.Client), (AesGcmPacketProtector)TestKeys.Protector(ConnectionRole.Server));

    [Fact]
    public void A_sealed_packet_opens_on_the_other_side_only()
    {
        var (client, server) = Pair();
        var packet = Seal(client, "hello, peer"u8);
        Assert.False(packet.AsSpan().IndexOf("hello"u8) >= 0);
        Assert.False(Open(client, packet, out _)); // the client's receive key is not its send key
        Assert.True(Open(server, packet, out var plaintext));
        Assert.Equal("hello, peer"u8.ToArray(), plaintext);
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
    public void A_replayed_packet_is_dropped_but_reordered_ones_are_accepted()
    {
        var (client, server) = Pair();
        var packets = Enumerable.Range(0, 10).Select(i => Seal(client, new byte[] { (byte)i, 1, 2, 3, 4, 5, 6, 7, 8 })).ToArray();
        Assert.True(Open(server, packets[5], out _));
        Assert.True(Open(server, packets[2], out _));
        Assert.False(Open(server, packets[5], out _));
        Assert.False(Open(server, packets[2], out _));
        Assert.True(Open(server, packets[9], out _));
        Assert.True(Open(server, packets[0], out _));
    }

    [Fact]
    public void Packets_older_than_the_replay_window_are_dropped()
    {
        var window = new P2PChat.Core.Transport.Protection.ReplayWindow();
        window.Accept(5000);
        Assert.True(!window.IsFresh(5000 - 1024));
        Assert.False(!window.IsFresh(5000 - 1023));
        window.Accept(4000);
        Assert.True(!window.IsFresh(4000));
    }

    [Fact]
    public void The_sequence_number_on_the_wire_is_masked()
    {
        var (client, _) = Pair();
        var first = Seal(client, new byte[20]);
        var second = Seal(client, new byte[20]);
        // Unmasked, the first 7 bytes of sequences 0 and 1 would be equal zeros.
        Assert.False(first.AsSpan(Header, 7).SequenceEqual(second.AsSpan(Header, 7)));
    }
}
