// Identity keys: encodings round-trip, invalid keys are refused at the edge, signatures bind the signing key.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Identity;

public sealed class IdentityKeyPairTests
{
    [Fact]
    public void Private_export_round_trips_to_the_same_identity()
    {
        using var original = IdentityKeyPair.Generate();
        using var restored = IdentityKeyPair.ImportPrivate(original.ExportPrivate());
        Assert.Equal(original.Public, restored.Public);
        Assert.True(original.Public.Verify("data"u8, restored.Sign("data"u8)));
    }

    [Fact]
    public void Public_encoding_round_trips_and_has_the_documented_length()
    {
        using var alice = TestIdentities.Alice();
        var encoded = alice.Public.Encode();
        Assert.Equal(IdentityPublicKey.EncodedLength, encoded.Length);
        Assert.Equal(65, encoded.Length);
        Assert.Equal(alice.Public, IdentityPublicKey.Decode(encoded));
    }

    [Fact]
    public void Unknown_and_retired_suites_and_wrong_lengths_are_refused()
    {
        using var alice = TestIdentities.Alice();
        var encoded = alice.Public.Encode();
        var unknown = (byte[])encoded.Clone();
        unknown[0] = 0x03;
        Rejection.Expect(() => IdentityPublicKey.Decode(unknown), CryptoFailure.UnsupportedVersion);
        var retired = (byte[])encoded.Clone();
        retired[0] = CryptoSuite.RetiredP256;
        Rejection.Expect(() => IdentityPublicKey.Decode(retired), CryptoFailure.RetiredSuite);
        Rejection.Expect(() => IdentityPublicKey.Decode(new byte[131]), CryptoFailure.UnsupportedVersion);
        Rejection.Expect(() => IdentityPublicKey.Decode(encoded.AsSpan(0, 64)), CryptoFailure.Malformed);
        Rejection.Expect(() => IdentityPublicKey.Decode([.. encoded, 0]), CryptoFailure.Malformed);
    }

    [Fact]
    public void Low_order_public_keys_and_wrong_key_lengths_are_refused()
    {
        using var key = AgreementKeyPair.Generate(new SeededKeySource("low-order"));
        // u = 0 and u = 1 are small-order points of Curve25519: X25519 with them gives the all-zero secret.
        Rejection.Expect(() => key.Agree(new byte[32]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => key.Agree([1, .. new byte[31]]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => key.Agree(new byte[31]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => AgreementKeyPair.FromPrivateKey(new byte[31]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => SigningKeyPair.FromPrivateKey(new byte[33]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => IdentityKeyPair.ImportPrivate([CryptoSuite.RetiredP256, .. new byte[64]]), CryptoFailure.RetiredSuite);
    }

    [Fact]
    public void Ephemeral_keys_cannot_be_exported()
    {
        using var ephemeral = AgreementKeyPair.Generate(new SeededKeySource("ephemeral"), exportable: false);
        Rejection.Expect(() => ephemeral.ExportPrivate(), CryptoFailure.InvalidState);
    }

    [Fact]
    public void Signatures_do_not_verify_under_another_identity_or_for_other_data()
    {
        using var alice = TestIdentities.Alice();
        using var bob = TestIdentities.Bob();
        var signature = alice.Sign("message"u8);
        Assert.True(alice.Public.Verify("message"u8, signature));
        Assert.False(bob.Public.Verify("message"u8, signature));
        Assert.False(alice.Public.Verify("messagE"u8, signature));
    }
}
