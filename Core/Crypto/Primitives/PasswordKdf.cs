// Password hashing for the server's accounts and the profile vault: Argon2id (libsodium) and, to check old records only, PBKDF2.
using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PChat.Core.Crypto.Primitives;

/// <summary>
/// Argon2id parameters (RFC 9106): memory in KiB, passes (t) and lanes (p). libsodium computes one lane, so p must be 1.
/// The floor is OWASP's password-storage minimum, m = 19 MiB, t = 2, p = 1; the ceiling keeps a stored record from
/// costing a verifier more than a second or 1 GiB.
/// </summary>
public sealed record Argon2Settings(int MemoryKib, int Passes, int Parallelism = 1)
{
    /// <summary>OWASP's minimum (m = 19 MiB, t = 2, p = 1): what P2PChat uses by default (docs/security.md, "Passwords").</summary>
    public static Argon2Settings Default { get; } = new(19 * 1024, 2, 1);
    public const int MinimumMemoryKib = 19 * 1024;
    public const int MaximumMemoryKib = 1024 * 1024;
    public const int MinimumPasses = 2;
    public const int MaximumPasses = 16;

    /// <summary>True for parameters at least OWASP's minimum and within the ceiling (p = 1).</summary>
    public bool IsAcceptable => MemoryKib is >= MinimumMemoryKib and <= MaximumMemoryKib
        && Passes is >= MinimumPasses and <= MaximumPasses && Parallelism == 1;

    /// <summary>Below the floor: for tests, known-answer vectors and test servers; never beyond the ceiling.</summary>
    public bool IsComputableForServer => IsComputable;

    internal bool IsComputable => MemoryKib is >= 8 and <= MaximumMemoryKib && Passes is >= 1 and <= MaximumPasses && Parallelism == 1;
}

public static class PasswordKdf
{
    /// <summary>Argon2id(password, salt) → <paramref name="output"/>. Salt at least 16 bytes.</summary>
    public static void Argon2id(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Settings settings, Span<byte> output)
    {
        if (!settings.IsComputable) throw new CryptoProtocolException(CryptoFailure.Malformed, "Argon2id parameters out of range");
        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
        {
            MemorySize = settings.MemoryKib,
            NumberOfPasses = settings.Passes,
            DegreeOfParallelism = settings.Parallelism,
        });
        algorithm.DeriveBytes(password, salt, output);
    }

    /// <summary>PBKDF2-HMAC-SHA256: only to verify records written before Argon2id (then re-hashed), and as the benchmark baseline.</summary>
    public static void Pbkdf2Sha256(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, int iterations, Span<byte> output) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, output, iterations, HashAlgorithmName.SHA256);
}
