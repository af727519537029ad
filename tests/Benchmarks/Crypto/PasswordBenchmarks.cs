// Sign-in password check: Argon2id at the configured parameters against PBKDF2-HMAC-SHA256 at 600,000 iterations, in the same run.
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Rendezvous.Accounts;

namespace P2PChat.Benchmarks.Crypto;

/// <summary>
/// What SignInCommand does per attempt: PasswordHasher.Verify on the stored record. The PBKDF2 record is the retired
/// default (600,000 iterations); the Argon2id ones are the new default (OWASP's m = 19 MiB, t = 2, p = 1) and two
/// points of OWASP's equal-strength table. Single-threaded, so wall time here is CPU time; scripts/bench-crypto.sh also
/// prints process CPU per check (P2PChat.Benchmarks password-cpu).
/// </summary>
[MemoryDiagnoser]
public class PasswordBenchmarks
{
    private PasswordHash _pbkdf2 = null!;
    private PasswordHash _argonDefault = null!;
    private PasswordHash _argon46 = null!;
    private PasswordHash _argon12 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        _pbkdf2 = new PasswordHash(PasswordAlgorithm.Pbkdf2HmacSha256, 600_000, salt,
            Rfc2898DeriveBytes.Pbkdf2("correct horse"u8, salt, 600_000, HashAlgorithmName.SHA256, 32));
        _argonDefault = new PasswordHasher().Hash("correct horse");
        _argon46 = new PasswordHasher(new Argon2Settings(46 * 1024, 1)).Hash("correct horse");
        _argon12 = new PasswordHasher(new Argon2Settings(12 * 1024, 3)).Hash("correct horse");
    }

    [Benchmark(Baseline = true, Description = "PBKDF2-HMAC-SHA256, 600,000 iterations (retired)")]
    public bool Pbkdf2() => PasswordHasher.Verify("correct horse", _pbkdf2);

    [Benchmark(Description = "Argon2id m=19 MiB t=2 p=1 (default)")]
    public bool Argon2idDefault() => PasswordHasher.Verify("correct horse", _argonDefault);

    [Benchmark(Description = "Argon2id m=46 MiB t=1 p=1 (OWASP equivalent)")]
    public bool Argon2id46() => PasswordHasher.Verify("correct horse", _argon46);

    [Benchmark(Description = "Argon2id m=12 MiB t=3 p=1 (OWASP equivalent)")]
    public bool Argon2id12() => PasswordHasher.Verify("correct horse", _argon12);
}
