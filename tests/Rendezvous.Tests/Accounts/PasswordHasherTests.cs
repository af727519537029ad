// Tests of PasswordHasher: Argon2id round trip, salts, stored parameters, PBKDF2 records of earlier versions, rehash policy, malformed records.
using System.Security.Cryptography;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Rendezvous.Accounts;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Accounts;

public sealed class PasswordHasherTests
{
    private static readonly Argon2Settings Cheap = new(64, 1);
    private readonly PasswordHasher _hasher = new(Cheap);

    [Fact]
    public void Hash_then_verify_accepts_the_password_and_rejects_others()
    {
        var stored = _hasher.Hash("hunter2");

        Assert.True(PasswordHasher.Verify("hunter2", stored));
        Assert.False(PasswordHasher.Verify("hunter3", stored));
        Assert.False(PasswordHasher.Verify("", stored));
    }

    [Fact]
    public void Hash_records_algorithm_parameters_and_sizes()
    {
        var stored = _hasher.Hash("pw");

        Assert.Equal(PasswordAlgorithm.Argon2id, stored.Algorithm);
        Assert.Equal(1, stored.Iterations);
        Assert.Equal(64, stored.MemoryKib);
        Assert.Equal(1, stored.Parallelism);
        Assert.Equal(PasswordHasher.SaltBytes, stored.Salt.Length);
        Assert.Equal(PasswordHasher.HashBytes, stored.Hash.Length);
    }

    [Fact]
    public void Hash_matches_a_direct_argon2id_derivation()
    {
        var stored = _hasher.Hash("pw");

        var expected = new byte[32];
        PasswordKdf.Argon2id("pw"u8, stored.Salt.Span, Cheap, expected);
        Assert.Equal(expected, stored.Hash.ToArray());
    }

    [Fact]
    public void Each_hash_gets_its_own_salt()
    {
        var first = _hasher.Hash("same");
        var second = _hasher.Hash("same");

        Assert.NotEqual(first.Salt.ToArray(), second.Salt.ToArray());
        Assert.NotEqual(first.Hash.ToArray(), second.Hash.ToArray());
    }

    [Fact]
    public void Verify_uses_the_stored_parameters_not_the_configured_ones()
    {
        var stored = new PasswordHasher(new Argon2Settings(128, 2)).Hash("pw");

        Assert.True(PasswordHasher.Verify("pw", stored));
        Assert.False(PasswordHasher.Verify("pw", stored with { Iterations = 3 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { MemoryKib = 256 }));
    }

    [Fact]
    public void A_pbkdf2_record_of_an_earlier_version_still_verifies_and_needs_a_rehash()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var legacy = new PasswordHash(PasswordAlgorithm.Pbkdf2HmacSha256, 1_000, salt,
            Rfc2898DeriveBytes.Pbkdf2("pw"u8, salt, 1_000, HashAlgorithmName.SHA256, 32));

        Assert.True(PasswordHasher.Verify("pw", legacy));
        Assert.False(PasswordHasher.Verify("pW", legacy));
        Assert.True(_hasher.NeedsRehash(legacy));
    }

    [Fact]
    public void NeedsRehash_when_stored_parameters_are_below_configured()
    {
        var weak = new PasswordHasher(new Argon2Settings(32, 1)).Hash("pw");
        var equal = _hasher.Hash("pw");
        var stronger = new PasswordHasher(new Argon2Settings(128, 2)).Hash("pw");

        Assert.True(_hasher.NeedsRehash(weak));
        Assert.False(_hasher.NeedsRehash(equal));
        Assert.False(_hasher.NeedsRehash(stronger));
        Assert.True(_hasher.NeedsRehash(equal with { Algorithm = (PasswordAlgorithm)99 }));
    }

    [Fact]
    public void Default_parameters_are_at_least_owasps_minimum()
    {
        var defaults = new PasswordHasher().Settings;
        Assert.True(defaults.MemoryKib >= 19 * 1024);
        Assert.True(defaults.Passes >= 2);
        Assert.Equal(1, defaults.Parallelism);
        Assert.True(defaults.IsAcceptable);
    }

    [Fact]
    public void Malformed_unknown_or_absurd_records_never_verify()
    {
        var stored = _hasher.Hash("pw");

        Assert.False(PasswordHasher.Verify("pw", stored with { Algorithm = (PasswordAlgorithm)3 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Iterations = 0 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { MemoryKib = 4 * 1024 * 1024 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Parallelism = 4 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Hash = stored.Hash[..16] }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Salt = ReadOnlyMemory<byte>.Empty }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Salt = stored.Salt[..8] }));
    }

    [Fact]
    public void Parameters_argon2id_cannot_compute_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new Argon2Settings(64, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(new Argon2Settings(64, 1, 2)));
    }
}
