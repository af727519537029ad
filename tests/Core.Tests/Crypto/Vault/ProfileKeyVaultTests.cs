// The profile vault: round trip, clear wrong-password error, tamper detection, parameter bounds, known answer.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Vault;

public sealed class ProfileKeyVaultTests
{
    // Tests other than the production-parameter ones use cheap Argon2id parameters (internal seam) to stay fast.
    private static readonly Argon2Settings Fast = new(64, 1);
    private static readonly byte[] Secret = "identity private key bytes"u8.ToArray();

    [Fact]
    public void Round_trip_with_production_parameters_and_a_reopened_vault()
    {
        byte[] sealedBlob;
        using (var vault = ProfileKeyVault.Create("correct horse"))
            sealedBlob = vault.Seal(Secret);
        Assert.Equal(CryptoSuite.Current, sealedBlob[4]);
        Assert.Equal(0x02, sealedBlob[5]); // Argon2id
        Assert.Equal(19u * 1024, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedBlob.AsSpan(6)));
        Assert.Equal(2u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedBlob.AsSpan(10)));
        Assert.Equal(1, sealedBlob[14]);
        using var reopened = ProfileKeyVault.Unlock("correct horse", sealedBlob);
        Assert.Equal(Secret, reopened.Open(sealedBlob));
        Assert.Equal(ProfileKeyVault.HeaderLength + Secret.Length + 16, sealedBlob.Length);
    }

    [Fact]
    public void Wrong_password_is_a_clear_error()
    {
        using var vault = ProfileKeyVault.CreateUnchecked("right", Fast, null);
        var sealedBlob = vault.Seal(Secret);
        Rejection.Expect(() => ProfileKeyVault.Unlock("wrong", sealedBlob, acceptWeak: true, null), CryptoFailure.WrongPassword);
        using var other = ProfileKeyVault.CreateUnchecked("right", Fast, null);
        Rejection.Expect(() => other.Open(sealedBlob), CryptoFailure.WrongPassword);
    }

    [Fact]
    public void Flipping_any_byte_is_rejected()
    {
        using var vault = ProfileKeyVault.CreateUnchecked("pw", Fast, null);
        var sealedBlob = vault.Seal(Secret);
        for (var i = 0; i < sealedBlob.Length; i++)
        {
            var forged = (byte[])sealedBlob.Clone();
            forged[i] ^= 0x01;
            Rejection.Expect(() => vault.Open(forged));
        }
        Assert.Equal(Secret, vault.Open(sealedBlob));
    }

    [Fact]
    public void Plaintext_does_not_appear_in_the_blob_and_nonces_differ()
    {
        using var vault = ProfileKeyVault.CreateUnchecked("pw", Fast, null);
        var first = vault.Seal(Secret);
        var second = vault.Seal(Secret);
        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf(Secret.AsSpan(0, 8)));
    }

    [Fact]
    public void Parameters_below_the_minimum_are_refused_on_create_and_unlock()
    {
        using var weak = ProfileKeyVault.CreateUnchecked("pw", Fast, null);
        Rejection.Expect(() => ProfileKeyVault.Unlock("pw", weak.Seal(Secret)), CryptoFailure.Malformed);
        Rejection.Expect(() => ProfileKeyVault.Unlock("pw", "not a vault"u8), CryptoFailure.Malformed);
        Rejection.Expect(() => ProfileKeyVault.Create("pw", new Argon2Settings(8 * 1024, 2)), CryptoFailure.Malformed);
    }

    [Fact]
    public void A_blob_of_the_p256_version_is_refused_as_retired_not_as_a_wrong_password()
    {
        // Header of the PBKDF2/P-256 version: "P2PV" | version 0x01 | KDF 0x01 | iterations | salt | verifier | nonce | ciphertext | tag.
        byte[] old = [.. "P2PV"u8, 0x01, 0x01, 0x00, 0x09, 0x27, 0xC0, .. new byte[16 + 16 + 12 + 40]];
        Rejection.Expect(() => ProfileKeyVault.Unlock("pw", old), CryptoFailure.RetiredSuite);
    }

    [Fact]
    public void Known_answer_for_a_seeded_vault()
    {
        using var vault = ProfileKeyVault.Create("correct horse", new SeededKeySource("vault-kat"));
        Assert.Equal("50325056020200004c000000000201fbc68a1e707c58ccce6b93802217b0c88445bfebb9cafde73028b1c74a3cadb036e4fa5ff11bfed171a1782585cbcac4171cc8d1c87d70bb3afba44fc705ac5d8054", Convert.ToHexStringLower(vault.Seal("secret"u8)));
    }
}
