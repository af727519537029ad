// Room frames and payloads round trip byte for byte; malformed ones are refused; sealed sender keys open only for their member.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Crypto.Groups;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class RoomWireTests
{
    [Fact]
    public void Every_frame_round_trips_and_has_its_documented_layout()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three();
        var entry = new RoomEntry(new RoomMessageId(cast.Tags[1], 9), [0xAA, 0xBB]);
        RoomFrame[] frames =
        [
            new RoomFrame.Hello(new RoomId(5), RoomReach.RelayOnly, 12, 3, 44, state),
            new RoomFrame.Hello(new RoomId(5), RoomReach.Direct, 0, 0, 0, null),
            new RoomFrame.State(state), new RoomFrame.Invite(state),
            new RoomFrame.Post(entry), new RoomFrame.Deliver(new RoomDelivery(2, 7, entry)),
            new RoomFrame.Ping(123), new RoomFrame.Pong(123), new RoomFrame.KeyBox(cast.Tags[0], cast.Tags[1], [1, 2, 3]),
            new RoomFrame.Request(RoomFrame.RequestOp.Admit, cast.Tags[3], cast.Keys[3].Public),
            new RoomFrame.Request(RoomFrame.RequestOp.Leave, cast.Tags[1], null),
            new RoomFrame.Bye(1, "bye"), new RoomFrame.Notice(2, "refused"),
        ];
        foreach (var f in frames) Assert.Equal(f.Encode(), RoomFrame.Decode(f.Encode()).Encode());
        Assert.Equal("33" + "80000002" + "0000000000000009" + "00000002" + "AABB", Convert.ToHexString(new RoomFrame.Post(entry).Encode()));
        Assert.Equal("34" + "00000002" + "0000000000000007" + "80000002" + "0000000000000009" + "00000002" + "AABB",
            Convert.ToHexString(new RoomFrame.Deliver(new RoomDelivery(2, 7, entry)).Encode()));
    }

    [Fact]
    public void Random_bytes_never_crash_the_decoders()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))), Arb.From(Gen.Choose(0x30, 0x42)), (bytes, kind) =>
        {
            byte[] frame = [(byte)kind, .. bytes];
            try { RoomFrame.Decode(frame); } catch (RoomProtocolException) { }
            try { RoomPayload.Decode(frame); } catch (RoomProtocolException) { }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Payloads_round_trip()
    {
        RoomPayload[] payloads =
        [
            new RoomPayload.Text("héllo"), new RoomPayload.Vote(Tag.User(3), 2),
            new RoomPayload.Commit(4, new byte[32]), new RoomPayload.Reveal(4, Enumerable.Repeat((byte)7, 32).ToArray()),
            new RoomPayload.Round(4, RoomPayload.RoundPurpose.Rotation, [Tag.User(1), Tag.User(2)]),
            new RoomPayload.GameStart(9, RoomPayload.GameKind.Roll, 2, 6), new RoomPayload.GameMove(9, RoomPayload.Move.Stand),
        ];
        foreach (var p in payloads) Assert.Equal(p.Encode(), RoomPayload.Decode(p.Encode()).Encode());
        Assert.Throws<RoomProtocolException>(() => RoomPayload.Decode([0x3C, 1, 2]));
    }

    [Fact]
    public void A_sealed_sender_key_opens_for_its_member_only_and_not_for_the_host_that_relays_it()
    {
        var cast = new RoomStateTests.Cast();
        using var key = GroupSenderKey.Create();
        var sealedKey = RoomKeySeal.Seal(new RoomId(1), cast.Tags[1], cast.Keys[1], cast.Tags[2], cast.Keys[2].Public, key.CreateDistribution());
        var opened = RoomKeySeal.Open(new RoomId(1), cast.Tags[1], cast.Keys[1].Public, cast.Tags[2], cast.Keys[2], sealedKey);
        Assert.Equal(key.KeyId, opened.KeyId);
        Assert.Throws<RoomProtocolException>(() => RoomKeySeal.Open(new RoomId(1), cast.Tags[1], cast.Keys[1].Public, cast.Tags[2], cast.Keys[0], sealedKey));
        Assert.Throws<RoomProtocolException>(() => RoomKeySeal.Open(new RoomId(1), cast.Tags[0], cast.Keys[0].Public, cast.Tags[2], cast.Keys[2], sealedKey));
        sealedKey[40] ^= 1;
        Assert.Throws<RoomProtocolException>(() => RoomKeySeal.Open(new RoomId(1), cast.Tags[1], cast.Keys[1].Public, cast.Tags[2], cast.Keys[2], sealedKey));
    }
}
