// Hashes account passwords with Argon2id (per-account parameters) and verifies them, including the PBKDF2 records of earlier versions.
using System.Security.Cryptography;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Primitives;

namespace P2PChat.Rendezvous.Accounts;

/// <summary>Derives <see cref="PasswordHash"/> values and checks passwords against them in constant time.
/// The configured Argon2id parameters apply to new hashes; stored hashes keep their own, and <see cref="NeedsRehash"/>
/// tells the caller when to replace one after a successful sign-in (a PBKDF2 record, or weaker parameters).
/// Why Argon2id and these parameters: docs/security.md, "Passwords on the server"; cost: docs/benchmarks.md.</summary>
public sealed class PasswordHasher
{
    public const int SaltBytes = 16;
    public const int HashBytes = 32;

    /// <param name="settings">Argon2id parameters for new hashes; default OWASP's m = 19 MiB, t = 2, p = 1. Values below that
    /// are accepted (for tests and constrained test servers) but never below what Argon2id can compute.</param>
    public PasswordHasher(Argon2Settings? settings = null)
    {
        Settings = settings ?? Argon2Settings.Default;
        if (!Settings.IsComputableForServer) throw new ArgumentOutOfRangeException(nameof(settings), "Argon2id parameters out of range");
    }

    /// <summary>The Argon2id parameters used for new hashes.</summary>
    public Argon2Settings Settings { get; }

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt.</summary>
    public PasswordHash Hash(ReadOnlySpan<char> password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = new byte[HashBytes];
        Derive(password, salt, Settings, hash);
        return new PasswordHash(PasswordAlgorithm.Argon2id, Settings.Passes, salt, hash, Settings.MemoryKib, Settings.Parallelism);
    }

    /// <summary>True when <paramref name="password"/> derives <paramref name="stored"/>'s hash with its own salt and
    /// parameters. Unknown algorithms, malformed records and parameters beyond the ceiling never verify.</summary>
    public static bool Verify(ReadOnlySpan<char> password, PasswordHash stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.Salt.IsEmpty || stored.Hash.Length != HashBytes) return false;
        Span<byte> candidate = stackalloc byte[HashBytes];
        switch (stored.Algorithm)
        {
            case PasswordAlgorithm.Pbkdf2HmacSha256 when stored.Iterations is >= 1 and <= 10_000_000:
                PasswordKdf.Pbkdf2Sha256(password, stored.Salt.Span, stored.Iterations, candidate);
                break;
            case PasswordAlgorithm.Argon2id when stored.Salt.Length == SaltBytes:
                var settings = new Argon2Settings(stored.MemoryKib, stored.Iterations, stored.Parallelism);
                if (!settings.IsComputableForServer) return false;
                Derive(password, stored.Salt.Span, settings, candidate);
                break;
            default:
                return false;
        }
        return CryptographicOperations.FixedTimeEquals(candidate, stored.Hash.Span);
    }

    /// <summary>True when <paramref name="stored"/> is weaker than what this hasher would produce now (PBKDF2, or
    /// Argon2id with less memory or fewer passes).</summary>
    public bool NeedsRehash(PasswordHash stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Algorithm != PasswordAlgorithm.Argon2id || stored.MemoryKib < Settings.MemoryKib || stored.Iterations < Settings.Passes;
    }

    private static void Derive(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, Argon2Settings settings, Span<byte> output)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(password)];
        try
        {
            Encoding.UTF8.GetBytes(password, bytes);
            PasswordKdf.Argon2id(bytes, salt, settings, output);
        }
        finally { CryptographicOperations.ZeroMemory(bytes); }
    }
}
