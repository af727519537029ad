// Packet protection on a link: both directions, replays dropped, forgeries rejected without moving the window.
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Crypto;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Link;

public sealed class LinkPacketProtectorTests : IDisposable
{
    private readonly LinkPair _link = new LinkPair("packets").Run();
    private readonly LinkPacketProtector _alice;
    private readonly LinkPacketProtector _bob;

    public LinkPacketProtectorTests()
    {
        _alice = new LinkPacketProtector(_link.Initiator.Keys);
        _bob = new LinkPacketProtector(_link.Responder.Keys);
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _link.Dispose();
    }

    [Fact]
    public void Packets_flow_both_ways_with_the_documented_overhead()
    {
        var packet = _alice.Seal("to bob"u8, "hdr"u8);
        Assert.Equal("to bob".Length + LinkPacketProtector.Overhead, packet.Length);
        Assert.Equal(0UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(packet));
        Assert.Equal("to bob"u8.ToArray(), _bob.Open(packet, "hdr"u8));
        Assert.Equal("to alice"u8.ToArray(), _alice.Open(_bob.Seal("to alice"u8)));
    }

    [Fact]
    public void Known_answer_packet_for_fixed_keys()
    {
        using var keys = new LinkKeys(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), new byte[32], new byte[32], _link.BobIdentity.Public, true);
        using var protector = new LinkPacketProtector(keys);
        Assert.Equal("000000000000000065d2daa9db0ce2d37bdfcc478de5941ef84bda110cb4f99defa5fa27", Convert.ToHexStringLower(protector.Seal("known answer"u8, "hdr"u8)));
    }

    [Fact]
    public void Replays_are_dropped()
    {
        var packet = _alice.Seal("once"u8);
        _bob.Open(packet);
        Rejection.Expect(() => _bob.Open(packet), CryptoFailure.Replayed);
    }

    [Fact]
    public void A_packet_sent_in_one_direction_cannot_be_reflected_back()
    {
        var packet = _alice.Seal("reflect me"u8);
        Rejection.Expect(() => _alice.Open(packet), CryptoFailure.AuthenticationFailed);
    }

    [Fact]
    public void Reordered_packets_within_the_window_are_accepted_and_too_old_ones_refused()
    {
        var packets = Enumerable.Range(0, ReplayWindow.Size + 10).Select(i => _alice.Seal([(byte)i])).ToList();
        _bob.Open(packets[^1]);
        Assert.Equal([(byte)20], _bob.Open(packets[20]));
        Rejection.Expect(() => _bob.Open(packets[5]), CryptoFailure.Replayed);
        Rejection.Expect(() => _bob.Open(packets[20]), CryptoFailure.Replayed);
    }

    [Fact]
    public void Flipping_any_byte_or_changing_the_associated_data_is_rejected_and_does_not_burn_the_counter()
    {
        var packet = _alice.Seal("integrity"u8, "hdr"u8);
        for (var i = 0; i < packet.Length; i++)
        {
            var forged = (byte[])packet.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => _bob.Open(forged, "hdr"u8));
        }
        Rejection.Expect(() => _bob.Open(packet, "hdR"u8), CryptoFailure.AuthenticationFailed);
        Assert.Equal("integrity"u8.ToArray(), _bob.Open(packet, "hdr"u8));
    }

    [Fact]
    public void A_forged_far_future_counter_does_not_move_the_window()
    {
        var genuine = _alice.Seal("genuine"u8);
        var forged = _alice.Seal("x"u8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(forged, 1_000_000);
        Rejection.Expect(() => _bob.Open(forged), CryptoFailure.AuthenticationFailed);
        Assert.Equal("genuine"u8.ToArray(), _bob.Open(genuine));
    }

    [Fact]
    public void Any_payload_round_trips_through_the_span_api()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>())), payload =>
        {
            var packet = new byte[payload.Length + LinkPacketProtector.Overhead];
            var written = _alice.SealInto(payload, packet);
            var plaintext = new byte[payload.Length];
            var read = _bob.OpenInto(new ReadOnlySpan<byte>(packet, 0, written), plaintext);
            return read == payload.Length && plaintext.SequenceEqual(payload);
        }).Check(DeterministicProperties.Config());
    }
}
