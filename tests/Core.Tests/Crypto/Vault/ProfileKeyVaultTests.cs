// The profile vault: round trip, clear wrong-password error, tamper detection, parameter bounds, known answer.
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Vault;
using P2PChat.Core.Tests.Crypto.Support;
using Xunit;

namespace P2PChat.Core.Tests.Crypto.Vault;

public sealed class ProfileKeyVaultTests
{
    // Tests other than the production-parameter ones use few iterations (internal seam) to stay fast.
    private const int FastIterations = 1000;
    private static readonly byte[] Secret = "identity private key bytes"u8.ToArray();

    [Fact]
    public void Round_trip_with_production_parameters_and_a_reopened_vault()
    {
        byte[] sealedBlob;
        using (var vault = ProfileKeyVault.Create("correct horse"))
            sealedBlob = vault.Seal(Secret);
        Assert.Equal((uint)ProfileKeyVault.DefaultIterations, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedBlob.AsSpan(6)));
        using var reopened = ProfileKeyVault.Unlock("correct horse", sealedBlob);
        Assert.Equal(Secret, reopened.Open(sealedBlob));
        Assert.Equal(ProfileKeyVault.HeaderLength + Secret.Length + 16, sealedBlob.Length);
    }

    [Fact]
    public void Wrong_password_is_a_clear_error()
    {
        using var vault = ProfileKeyVault.Create("right", FastIterations, null);
        var sealedBlob = vault.Seal(Secret);
        Rejection.Expect(() => ProfileKeyVault.Unlock("wrong", sealedBlob, FastIterations, null), CryptoFailure.WrongPassword);
        using var other = ProfileKeyVault.Create("right", FastIterations, null);
        Rejection.Expect(() => other.Open(sealedBlob), CryptoFailure.WrongPassword);
    }

    [Fact]
    public void Flipping_any_byte_is_rejected()
    {
        using var vault = ProfileKeyVault.Create("pw", FastIterations, null);
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
        using var vault = ProfileKeyVault.Create("pw", FastIterations, null);
        var first = vault.Seal(Secret);
        var second = vault.Seal(Secret);
        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf(Secret.AsSpan(0, 8)));
    }

    [Fact]
    public void Iteration_counts_below_the_minimum_are_refused_on_unlock()
    {
        using var weak = ProfileKeyVault.Create("pw", FastIterations, null);
        Rejection.Expect(() => ProfileKeyVault.Unlock("pw", weak.Seal(Secret)), CryptoFailure.Malformed);
        Rejection.Expect(() => ProfileKeyVault.Unlock("pw", "not a vault"u8), CryptoFailure.Malformed);
    }

    [Fact]
    public void Known_answer_for_a_seeded_vault()
    {
        using var vault = ProfileKeyVault.Create("correct horse", new SeededKeySource("vault-kat"));
        Assert.Equal("503250560101000927c0fbc68a1e707c58ccce6b93802217b0c8dfc1e0b957aafa8be313f1700c7dc07936e4fa5ff11bfed171a178250fecb00df71c17e52e381187e850016e05b1b3c5f4aa", Convert.ToHexStringLower(vault.Seal("secret"u8)));
    }
}
