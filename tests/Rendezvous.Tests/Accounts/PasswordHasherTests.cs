// Tests of PasswordHasher: round trip, salts, stored parameters, rehash policy, malformed records.
using System.Security.Cryptography;
using P2PChat.Rendezvous.Accounts;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Accounts;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = new(iterations: 1_000);

    [Fact]
    public void Hash_then_verify_accepts_the_password_and_rejects_others()
    {
        var stored = _hasher.Hash("hunter2");

        Assert.True(PasswordHasher.Verify("hunter2", stored));
        Assert.False(PasswordHasher.Verify("hunter3", stored));
        Assert.False(PasswordHasher.Verify("", stored));
    }

    [Fact]
    public void Hash_records_algorithm_iterations_and_sizes()
    {
        var stored = _hasher.Hash("pw");

        Assert.Equal(PasswordAlgorithm.Pbkdf2HmacSha256, stored.Algorithm);
        Assert.Equal(1_000, stored.Iterations);
        Assert.Equal(PasswordHasher.SaltBytes, stored.Salt.Length);
        Assert.Equal(PasswordHasher.HashBytes, stored.Hash.Length);
    }

    [Fact]
    public void Hash_matches_a_direct_pbkdf2_sha256_derivation()
    {
        var stored = _hasher.Hash("pw");

        var expected = Rfc2898DeriveBytes.Pbkdf2("pw"u8, stored.Salt.Span, 1_000, HashAlgorithmName.SHA256, 32);
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
    public void Verify_uses_the_stored_iteration_count_not_the_configured_one()
    {
        var stored = new PasswordHasher(iterations: 500).Hash("pw");

        Assert.True(PasswordHasher.Verify("pw", stored));
        Assert.False(PasswordHasher.Verify("pw", stored with { Iterations = 501 }));
    }

    [Fact]
    public void NeedsRehash_when_stored_count_is_below_configured()
    {
        var weak = new PasswordHasher(iterations: 999).Hash("pw");
        var equal = _hasher.Hash("pw");
        var stronger = new PasswordHasher(iterations: 2_000).Hash("pw");

        Assert.True(_hasher.NeedsRehash(weak));
        Assert.False(_hasher.NeedsRehash(equal));
        Assert.False(_hasher.NeedsRehash(stronger));
        Assert.True(_hasher.NeedsRehash(equal with { Algorithm = (PasswordAlgorithm)99 }));
    }

    [Fact]
    public void Default_iteration_count_is_at_least_600000()
    {
        Assert.True(PasswordHasher.DefaultIterations >= 600_000);
        Assert.Equal(PasswordHasher.DefaultIterations, new PasswordHasher().Iterations);
    }

    [Fact]
    public void Malformed_or_unknown_records_never_verify()
    {
        var stored = _hasher.Hash("pw");

        Assert.False(PasswordHasher.Verify("pw", stored with { Algorithm = (PasswordAlgorithm)2 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Iterations = 0 }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Hash = stored.Hash[..16] }));
        Assert.False(PasswordHasher.Verify("pw", stored with { Salt = ReadOnlyMemory<byte>.Empty }));
    }

    [Fact]
    public void Iteration_count_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(iterations: 0));
    }
}
