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
    public void Identity_encoding_is_suite_signing_key_agreement_key()
    {
        using var alice = TestIdentities.Alice();
        Assert.Equal("027e143527f0ea8b445d54ff70093aabeb819377efb7b10a97cb4c5a5127a11d630d6a2bdf769a2c26144bb4933c807d18607f55b64faa6179b9c74f0514548710", Convert.ToHexStringLower(alice.Public.Encode()));
    }

    [Fact]
    public void Fingerprint_and_safety_number_are_fixed()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        Assert.Equal("617864861907019876129612456057", IdentityFingerprint.Compute("alice", alice.Public));
        Assert.Equal("55924 40002 73461 20952 43786 58473 61786 48619 07019 87612 96124 56057", SafetyNumber.Compute("alice", alice.Public, "bob", bob.Public).ToString());
    }

    [Fact]
    public void A_stored_signed_prekey_signature_still_verifies_over_the_documented_layout()
    {
        using var alice = TestIdentities.Alice();
        var keys = new SeededKeySource("spk-kat");
        using var prekey = PrekeyPair.CreateSigned(alice, 7, keys);
        var stored = SignedPrekeyPublic.Decode(Convert.FromHexString("02000000071f0e1992895a0dac1a3778d81e5a703be712d786ced03f24ebbdec03005bbf461a2629e46b809d3ffa3160d40517e8f359234686d81b444a4c7ed5f8508aec4f34b9e815b34d088ed00af190c28acb62b7c92eac25138bf61d5f2d75832f180d"));
        Assert.Equal(prekey.Key.PublicKey.ToArray(), stored.PublicKey.ToArray());
        Assert.True(stored.VerifySignature(alice.Public));
        Assert.True(prekey.ToSignedPublic().VerifySignature(alice.Public));
    }
}
