// Schema step 4: device-bound resumption tickets (a reconnect signs in without the password hash).
namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// resumption_tickets  id BLOB PK (16 random bytes), user_tag → accounts, device_id BLOB (16 bytes the device chose),
///                     device_name TEXT, secret_hash BLOB (SHA-256 of the 32-byte secret), created_at, expires_at.
///                     One ticket per (user_tag, device_id): issuing another replaces it (unique index
///                     resumption_tickets_by_device). Expired rows are deleted whenever a ticket is issued.
/// </summary>
internal static class Migration004ResumptionTickets
{
    public static SchemaMigration Step { get; } = new(4, "Resumption tickets", """
        CREATE TABLE resumption_tickets (
            id          BLOB    PRIMARY KEY,
            user_tag    INTEGER NOT NULL REFERENCES accounts (tag),
            device_id   BLOB    NOT NULL,
            device_name TEXT    NOT NULL,
            secret_hash BLOB    NOT NULL,
            created_at  INTEGER NOT NULL,
            expires_at  INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX resumption_tickets_by_device ON resumption_tickets (user_tag, device_id);
        """);
}
