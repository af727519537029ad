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
        Assert.Equal(131, encoded.Length);
        Assert.Equal(alice.Public, IdentityPublicKey.Decode(encoded));
    }

    [Fact]
    public void Points_off_the_curve_wrong_versions_and_wrong_lengths_are_refused()
    {
        using var alice = TestIdentities.Alice();
        var encoded = alice.Public.Encode();
        var offCurve = (byte[])encoded.Clone();
        offCurve[40] ^= 0x01;
        Rejection.Expect(() => IdentityPublicKey.Decode(offCurve), CryptoFailure.InvalidKey);
        var wrongVersion = (byte[])encoded.Clone();
        wrongVersion[0] = 0x02;
        Rejection.Expect(() => IdentityPublicKey.Decode(wrongVersion), CryptoFailure.UnsupportedVersion);
        Rejection.Expect(() => IdentityPublicKey.Decode(encoded.AsSpan(0, 130)), CryptoFailure.Malformed);
        Rejection.Expect(() => IdentityPublicKey.Decode([.. encoded, 0]), CryptoFailure.Malformed);
    }

    [Fact]
    public void Zero_and_out_of_range_private_scalars_are_refused()
    {
        Rejection.Expect(() => P256KeyPair.FromPrivateKey(new byte[32]), CryptoFailure.InvalidKey);
        Rejection.Expect(() => P256KeyPair.FromPrivateKey(Enumerable.Repeat((byte)0xFF, 32).ToArray()), CryptoFailure.InvalidKey);
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
