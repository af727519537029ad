// Schema step 2: end-to-end key material as opaque blobs (identity key, signed prekey, one-time prekeys).
namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// accounts            + identity_key BLOB NULL (the account's identity public key).
/// signed_prekeys      user_tag INTEGER PK → accounts, prekey BLOB, updated_at; replaced on upload.
/// one_time_prekeys    id INTEGER PK AUTOINCREMENT, user_tag → accounts, prekey BLOB; a take deletes the
///                     user's lowest id inside the serialised write transaction, so each is handed out once.
///                     Index: one_time_prekeys_by_user (user_tag, id).
/// </summary>
internal static class Migration002EndToEndKeys
{
    public static SchemaMigration Step { get; } = new(2, "End-to-end key material", """
        ALTER TABLE accounts ADD COLUMN identity_key BLOB;

        CREATE TABLE signed_prekeys (
            user_tag   INTEGER PRIMARY KEY REFERENCES accounts (tag),
            prekey     BLOB    NOT NULL,
            updated_at INTEGER NOT NULL
        );

        CREATE TABLE one_time_prekeys (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            user_tag INTEGER NOT NULL REFERENCES accounts (tag),
            prekey   BLOB    NOT NULL
        );
        CREATE INDEX one_time_prekeys_by_user ON one_time_prekeys (user_tag, id);
        """);
}
