// Prekey blobs the server stores opaquely: byte codecs round-trip, signatures are checked, bad blobs are refused.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Prekeys;

public sealed class PrekeyBundleTests
{
    [Theory]
    [InlineData(true, 205)]
    [InlineData(false, 168)]
    public void Bundle_round_trips_with_the_documented_length(bool withOneTime, int length)
    {
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), new SeededKeySource("bundle"), withOneTime);
        var encoded = bob.Bundle.Encode();
        Assert.Equal(length, encoded.Length);
        var decoded = PrekeyBundle.Decode(encoded);
        Assert.Equal(bob.Identity.Public, decoded.Identity);
        Assert.Equal(encoded, decoded.Encode());
        decoded.Verify();
    }

    [Fact]
    public void Parts_round_trip_separately_for_a_server_that_stores_them_apart()
    {
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), new SeededKeySource("parts"));
        var signed = SignedPrekeyPublic.Decode(bob.SignedPrekey.ToSignedPublic().Encode());
        var oneTime = OneTimePrekeyPublic.Decode(bob.OneTimePrekey!.ToOneTimePublic().Encode());
        Assert.Equal(SignedPrekeyPublic.EncodedLength, bob.SignedPrekey.ToSignedPublic().Encode().Length);
        Assert.Equal(OneTimePrekeyPublic.EncodedLength, bob.OneTimePrekey.ToOneTimePublic().Encode().Length);
        var assembled = new PrekeyBundle(IdentityPublicKey.Decode(bob.Identity.Public.Encode()), signed, oneTime);
        Assert.Equal(bob.Bundle.Encode(), assembled.Encode());
    }

    [Fact]
    public void Private_prekeys_round_trip_for_the_vault()
    {
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), new SeededKeySource("private"));
        using var signed = PrekeyPair.ImportPrivate(bob.SignedPrekey.ExportPrivate());
        using var oneTime = PrekeyPair.ImportPrivate(bob.OneTimePrekey!.ExportPrivate());
        Assert.True(signed.IsSigned);
        Assert.False(oneTime.IsSigned);
        Assert.Equal(bob.SignedPrekey.ToSignedPublic().Encode(), signed.ToSignedPublic().Encode());
        Assert.Equal(bob.OneTimePrekey.Key.PublicKey.ToArray(), oneTime.Key.PublicKey.ToArray());
    }

    [Fact]
    public void Any_flipped_byte_of_a_bundle_is_refused_or_fails_verification()
    {
        using var bob = new TestIdentities.Responder(TestIdentities.Bob(), new SeededKeySource("flip"));
        var encoded = bob.Bundle.Encode();
        var oneTimeStart = encoded.Length - OneTimePrekeyPublic.EncodedLength;
        for (var i = 0; i < oneTimeStart; i++)
        {
            var forged = (byte[])encoded.Clone();
            forged[i] ^= 0x04;
            Rejection.Expect(() => PrekeyBundle.Decode(forged).Verify());
        }
    }

    [Fact]
    public void Batches_of_one_time_prekeys_have_consecutive_ids_and_distinct_keys()
    {
        var batch = PrekeyPair.CreateOneTimeBatch(50, 5, new SeededKeySource("batch"));
        Assert.Equal([50u, 51, 52, 53, 54], batch.Select(p => p.Id));
        Assert.Equal(5, batch.Select(p => Convert.ToHexString(p.Key.PublicKey.Span)).Distinct().Count());
        foreach (var prekey in batch) prekey.Dispose();
    }
}
