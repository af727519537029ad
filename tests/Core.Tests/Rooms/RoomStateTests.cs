// The signed room state: byte layout round trip, and stale, forged or unauthorised states refused.
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class RoomStateTests
{
    internal sealed class Cast
    {
        public readonly IdentityKeyPair[] Keys = [.. Enumerable.Range(0, 4).Select(_ => IdentityKeyPair.Generate())];
        public readonly Tag[] Tags = [.. Enumerable.Range(1, 4).Select(i => Tag.User((uint)i))];

        /// <summary>A (creator, host), B, C members; D outside.</summary>
        public SignedRoomState Three()
        {
            var s = RoomState.Create(new RoomId(42), "lounge", Tags[0], Keys[0].Public) with
            {
                Version = 3,
                Members = [new(Tags[0], Keys[0].Public, RoomRole.Creator), new(Tags[1], Keys[1].Public, RoomRole.Member), new(Tags[2], Keys[2].Public, RoomRole.Member)],
                Succession = [Tags[1], Tags[2]],
            };
            return s.Sign(Tags[0], Keys[0]);
        }
    }

    [Fact]
    public void A_signed_state_round_trips_byte_for_byte_and_checks()
    {
        var cast = new Cast();
        var signed = cast.Three();
        var decoded = SignedRoomState.Decode(signed.Encode());
        Assert.Equal(signed.Encode(), decoded.Encode());
        Assert.Equal("lounge", decoded.State.Name);
        Assert.Equal([cast.Tags[1], cast.Tags[2]], decoded.State.Succession);
        RoomStateRules.CheckFirst(decoded);
        // layout: format 1, room id 42, version 3, epoch 1, name "lounge"
        Assert.Equal("01" + "000000000000002A" + "0000000000000003" + "00000001" + "06" + Convert.ToHexString("lounge"u8),
            Convert.ToHexString(signed.Body.AsSpan(0, 1 + 8 + 8 + 4 + 1 + 6)));
    }

    [Fact]
    public void A_forged_signature_a_stale_version_and_a_swapped_key_are_refused()
    {
        var cast = new Cast();
        var held = cast.Three().State;
        var next = held with { Version = 4, Name = "renamed" };
        var forged = next.Sign(cast.Tags[0], cast.Keys[3]);   // signed by the wrong key
        Assert.Contains("forged", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, forged)).Message);
        var tampered = next.Sign(cast.Tags[0], cast.Keys[0]);
        tampered.Body[^1] ^= 1;
        Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, tampered));
        Assert.Contains("stale", Assert.Throws<RoomProtocolException>(() =>
            RoomStateRules.CheckSuccessor(held, (held with { Version = 3 }).Sign(cast.Tags[0], cast.Keys[0]))).Message);
        var swapped = held with { Version = 5, Members = [.. held.Members.Select(m => m.Tag == cast.Tags[1] ? m with { Identity = cast.Keys[3].Public } : m)] };
        Assert.Contains("identity key", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, swapped.Sign(cast.Tags[0], cast.Keys[0]))).Message);
        RoomStateRules.CheckSuccessor(held, next.Sign(cast.Tags[0], cast.Keys[0]));
    }

    [Fact]
    public void Rights_members_cannot_admit_or_kick_the_host_admits_and_hands_off_a_claim_raises_the_epoch()
    {
        var cast = new Cast();
        var held = cast.Three().State;
        var admitD = held with { Version = 4, Members = [.. held.Members, new(cast.Tags[3], cast.Keys[3].Public, RoomRole.Member)] };
        Assert.Contains("admits", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, admitD.Sign(cast.Tags[1], cast.Keys[1]))).Message);
        RoomStateRules.CheckSuccessor(held, admitD.Sign(cast.Tags[0], cast.Keys[0]));

        var kickC = held with { Version = 4, Members = [.. held.Members.Where(m => m.Tag != cast.Tags[2])], Succession = [cast.Tags[1]] };
        Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, kickC.Sign(cast.Tags[1], cast.Keys[1])));

        var claim = held with { Version = 4, Epoch = 2, Host = cast.Tags[1], Succession = [cast.Tags[2], cast.Tags[0]] };
        RoomStateRules.CheckSuccessor(held, claim.Sign(cast.Tags[1], cast.Keys[1]));                 // the new host claims
        RoomStateRules.CheckSuccessor(held, claim.Sign(cast.Tags[0], cast.Keys[0]));                 // the old host hands off
        Assert.Contains("old host or the new", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, claim.Sign(cast.Tags[2], cast.Keys[2]))).Message);
        Assert.Contains("epoch", Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, (claim with { Epoch = 1 }).Sign(cast.Tags[1], cast.Keys[1]))).Message);

        var promote = held with { Version = 4, Members = [.. held.Members.Select(m => m.Tag == cast.Tags[1] ? m with { Role = RoomRole.Moderator } : m)] };
        Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckSuccessor(held, (promote with { Host = held.Host }).Sign(cast.Tags[1], cast.Keys[1])));
        RoomStateRules.CheckSuccessor(held, promote.Sign(cast.Tags[0], cast.Keys[0]));
    }

    [Fact]
    public void A_malformed_state_is_refused_with_a_reason_not_a_crash()
    {
        var cast = new Cast();
        var bytes = cast.Three().Encode();
        for (var cut = 0; cut < bytes.Length; cut += 7)
            Assert.Throws<RoomProtocolException>(() => RoomStateRules.CheckFirst(SignedRoomState.Decode(bytes.AsSpan(0, cut))));
    }
}
