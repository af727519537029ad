// A stored password verifier: algorithm id, its parameters, salt and derived hash, as kept per account.
namespace P2PChat.Rendezvous.Accounts;

/// <summary>What the server keeps instead of a password. <see cref="Algorithm"/> says how <see cref="Hash"/> was derived
/// from the password and <see cref="Salt"/>; the parameters are stored per account (schema step 3), so raising them
/// later re-hashes each account at its next successful sign-in.</summary>
/// <param name="Iterations">PBKDF2: iterations. Argon2id: passes (t).</param>
/// <param name="MemoryKib">Argon2id: memory in KiB (m); 0 for PBKDF2.</param>
/// <param name="Parallelism">Argon2id: lanes (p, always 1 here); 0 for PBKDF2.</param>
public sealed record PasswordHash(PasswordAlgorithm Algorithm, int Iterations, ReadOnlyMemory<byte> Salt, ReadOnlyMemory<byte> Hash,
    int MemoryKib = 0, int Parallelism = 0);

/// <summary>Password derivation algorithms; the numeric value is what the store persists.</summary>
public enum PasswordAlgorithm : byte
{
    /// <summary>PBKDF2 with HMAC-SHA256, 16-byte salt, 32-byte output. Written by earlier versions; verified, then re-hashed.</summary>
    Pbkdf2HmacSha256 = 1,
    /// <summary>Argon2id v1.3 (RFC 9106), 16-byte salt, 32-byte output, parameters in the record.</summary>
    Argon2id = 2,
}
