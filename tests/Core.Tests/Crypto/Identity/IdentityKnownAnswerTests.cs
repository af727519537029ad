// Known answers for the identity encoding, fingerprints and safety numbers of fixed keys.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Prekeys;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Identity;

public sealed class IdentityKnownAnswerTests
{
    [Fact]
    public void Identity_encoding_is_version_signing_point_agreement_point()
    {
        using var alice = TestIdentities.Alice();
        Assert.Equal("010497cecc7f5f1a64d5c47303a6b22504d9e28628cf61b22d0a7fe60f4d5a394173f38523b3938248324cbcdfce9bc60f795107dac28142a89a95269833b67d546f04555cfaf94ac5e0d12f34413e41a1ee8680317022835d942fdb08e2bb0fe90b60fdc007734a5315754fca0e155bb0424d4f0757a72f04e599cd778be5dcf22ce7", Convert.ToHexStringLower(alice.Public.Encode()));
    }

    [Fact]
    public void Fingerprint_and_safety_number_are_fixed()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        Assert.Equal("502948358659096288258025677095", IdentityFingerprint.Compute("alice", alice.Public));
        Assert.Equal("01346 45604 20713 92993 29720 05671 50294 83586 59096 28825 80256 77095", SafetyNumber.Compute("alice", alice.Public, "bob", bob.Public).ToString());
    }

    [Fact]
    public void A_stored_signed_prekey_signature_still_verifies_over_the_documented_layout()
    {
        using var alice = TestIdentities.Alice();
        var keys = new SeededKeySource("spk-kat");
        using var prekey = PrekeyPair.CreateSigned(alice, 7, keys);
        var stored = SignedPrekeyPublic.Decode(Convert.FromHexString("0000000704f452069dfeae97a4fd6fda00941b4f5e13bb477313964a802d33e95e2a5d3efa24037060efcb8454014d24d79b95817e875d7baf09a611d7f35c128b86fbc6f337369dcebcfaeaa7dde4abbd93b1306874719fb8c276cf1161949ccff865cfb1740daf8aa14b111fd5b4d21d1437b59907c5911e1a192dfe5f4e01ca35861933"));
        Assert.Equal(prekey.Key.PublicKey.ToArray(), stored.PublicKey.ToArray());
        Assert.True(stored.VerifySignature(alice.Public));
        Assert.True(prekey.ToSignedPublic().VerifySignature(alice.Public));
    }
}
