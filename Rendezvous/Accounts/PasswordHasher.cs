// Hashes and verifies account passwords with PBKDF2-HMAC-SHA256 and a per-account salt and iteration count.
using System.Security.Cryptography;

namespace P2PChat.Rendezvous.Accounts;

/// <summary>Derives <see cref="PasswordHash"/> values and checks passwords against them in constant time.
/// The configured iteration count applies to new hashes; stored hashes keep their own count, and
/// <see cref="NeedsRehash"/> tells the caller when to replace one after a successful sign-in.</summary>
public sealed class PasswordHasher
{
    /// <summary>OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;
    public const int SaltBytes = 16;
    public const int HashBytes = 32;

    private readonly int _iterations;

    public PasswordHasher(int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        _iterations = iterations;
    }

    /// <summary>The iteration count used for new hashes.</summary>
    public int Iterations => _iterations;

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public PasswordHash Hash(ReadOnlySpan<char> password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = new byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, hash, _iterations, HashAlgorithmName.SHA256);
        return new PasswordHash(PasswordAlgorithm.Pbkdf2HmacSha256, _iterations, salt, hash);
    }

    /// <summary>True when <paramref name="password"/> derives <paramref name="stored"/>'s hash with its own salt
    /// and iteration count. Unknown algorithms and malformed records never verify.</summary>
    public static bool Verify(ReadOnlySpan<char> password, PasswordHash stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Algorithm != PasswordAlgorithm.Pbkdf2HmacSha256 || stored.Iterations < 1
            || stored.Salt.IsEmpty || stored.Hash.Length != HashBytes)
        {
            return false;
        }
        Span<byte> candidate = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, stored.Salt.Span, candidate, stored.Iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(candidate, stored.Hash.Span);
    }

    /// <summary>True when <paramref name="stored"/> is weaker than what this hasher would produce now.</summary>
    public bool NeedsRehash(PasswordHash stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Algorithm != PasswordAlgorithm.Pbkdf2HmacSha256 || stored.Iterations < _iterations;
    }
}
