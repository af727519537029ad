// Schema step 3: per-account Argon2id parameters, so PBKDF2 records (and weaker Argon2id ones) can be re-hashed at sign-in.
namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// accounts            + password_memory_kib INTEGER NOT NULL DEFAULT 0 (Argon2id m in KiB; 0 for PBKDF2 records)
///                     + password_parallelism INTEGER NOT NULL DEFAULT 0 (Argon2id p; 0 for PBKDF2 records).
///                     password_algorithm 1 = PBKDF2-HMAC-SHA256 (password_iterations = iterations), 2 = Argon2id
///                     (password_iterations = passes t). Existing rows keep their PBKDF2 hash untouched; the sign-in that
///                     next succeeds for the account replaces it with an Argon2id one.
/// </summary>
internal static class Migration003PasswordParameters
{
    public static SchemaMigration Step { get; } = new(3, "Per-account password hashing parameters (Argon2id)", """
        ALTER TABLE accounts ADD COLUMN password_memory_kib INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN password_parallelism INTEGER NOT NULL DEFAULT 0;
        """);
}
