// A stored password verifier: algorithm id, iteration count, salt and derived hash, as kept per account.
namespace P2PChat.Rendezvous.Accounts;

/// <summary>What the server keeps instead of a password. <see cref="Algorithm"/> says how
/// <see cref="Hash"/> was derived from the password and <see cref="Salt"/>.</summary>
public sealed record PasswordHash(PasswordAlgorithm Algorithm, int Iterations, ReadOnlyMemory<byte> Salt, ReadOnlyMemory<byte> Hash);

/// <summary>Password derivation algorithms; the numeric value is what the store persists.</summary>
public enum PasswordAlgorithm : byte
{
    /// <summary>PBKDF2 with HMAC-SHA256, 16-byte salt, 32-byte output.</summary>
    Pbkdf2HmacSha256 = 1,
}
