// The private prekeys: rotation of the signed prekey with a grace period, one-time prekeys used once, remembered base keys, storage.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Peer.E2e;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class PrekeyRingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_signed_prekey_rotates_weekly_and_the_previous_one_still_opens_first_messages()
    {
        using var owner = IdentityKeyPair.Generate();
        using var ring = PrekeyRing.Create(owner, Now);
        var first = ring.Signed.Id;
        Assert.False(ring.RotateIfDue(owner, Now + TimeSpan.FromDays(6)));
        Assert.True(ring.RotateIfDue(owner, Now + TimeSpan.FromDays(7)));
        Assert.NotEqual(first, ring.Signed.Id);
        Assert.Same(ring.Previous, ring.FindSigned(first));
        Assert.True(ring.Signed.ToSignedPublic().VerifySignature(owner.Public));
        Assert.True(ring.RotateIfDue(owner, Now + TimeSpan.FromDays(14)));
        Assert.Null(ring.FindSigned(first));
    }

    [Fact]
    public void One_time_prekeys_have_fresh_ids_and_go_once_deleted()
    {
        using var owner = IdentityKeyPair.Generate();
        using var ring = PrekeyRing.Create(owner, Now);
        var published = ring.AddOneTime(3).Concat(ring.AddOneTime(2)).Select(b => OneTimePrekeyPublic.Decode(b)).ToList();
        Assert.Equal(5, published.Select(p => p.Id).Distinct().Count());
        Assert.DoesNotContain(ring.Signed.Id, published.Select(p => p.Id));
        Assert.NotNull(ring.FindOneTime(published[0].Id));
        ring.DeleteOneTime(published[0].Id);
        Assert.Null(ring.FindOneTime(published[0].Id));
        Assert.Equal(4, ring.OneTimeCount);
    }

    [Fact]
    public void Remembered_base_keys_survive_storage_and_are_bounded()
    {
        using var owner = IdentityKeyPair.Generate();
        using var ring = PrekeyRing.Create(owner, Now);
        ring.AddOneTime(2);
        for (var i = 0; i <= PrekeyRing.MaxRememberedBaseKeys; i++) ring.RememberBaseKey(BitConverter.GetBytes(i));
        Assert.False(ring.HasSeenBaseKey(BitConverter.GetBytes(0))); // the oldest was forgotten
        using var restored = PrekeyRing.Deserialize(ring.Serialize());
        Assert.True(restored.HasSeenBaseKey(BitConverter.GetBytes(PrekeyRing.MaxRememberedBaseKeys)));
        Assert.Equal(ring.Serialize(), restored.Serialize());
        Assert.Equal(ring.Signed.ToSignedPublic().Encode(), restored.Signed.ToSignedPublic().Encode());
    }

    [Fact]
    public void Truncated_or_padded_state_is_refused()
    {
        using var owner = IdentityKeyPair.Generate();
        using var ring = PrekeyRing.Create(owner, Now);
        var state = ring.Serialize();
        Assert.Throws<CryptoProtocolException>(() => PrekeyRing.Deserialize(state[..^1]));
        Assert.Throws<CryptoProtocolException>(() => PrekeyRing.Deserialize([.. state, 0]));
    }
}
