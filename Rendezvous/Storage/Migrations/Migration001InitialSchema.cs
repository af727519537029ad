// Schema step 1: accounts, friendships, ignores, channels, memberships, invites and offline messages.
namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// Conventions: times are INTEGER Unix milliseconds UTC; tags are INTEGER holding the uint value;
/// booleans are INTEGER 0/1; names compare case-insensitively (COLLATE NOCASE, ASCII folding).
///
/// accounts            tag INTEGER PK AUTOINCREMENT (sqlite_sequence seeded at 0x80000000, so tags are 0x80000001, ...),
///                     username TEXT NOCASE UNIQUE, password_algorithm INTEGER, password_iterations INTEGER,
///                     password_salt BLOB, password_hash BLOB, email, nickname NOT NULL, full_name,
///                     birth_date TEXT (yyyy-MM-dd), gender, location, created_at, is_admin, banned_until NULL,
///                     ban_reason NULL, last_seen NULL.
///                     Index: the UNIQUE index on username.
/// friend_requests     (from_tag, to_tag) PK, requested_at; pending only (accepting or refusing deletes the row).
///                     Index: friend_requests_by_target (to_tag).
/// friendships         (user_tag, friend_tag) PK, since; one row per direction, both written together.
/// ignores             (user_tag, ignored_tag) PK.
/// channels            tag INTEGER PK AUTOINCREMENT (general = 1 is inserted here, so created channels get 2, 3, ...;
///                     AUTOINCREMENT never reuses a deleted channel's tag), name TEXT NOCASE UNIQUE (no '#'),
///                     topic NULL, invite_only, creator_tag NULL (only for general), created_at.
/// channel_members     (channel_tag → channels ON DELETE CASCADE, user_tag) PK, is_operator, joined_at.
///                     Index: channel_members_by_user (user_tag).
/// channel_invites     (channel_tag → channels ON DELETE CASCADE, invitee_tag) PK, inviter_tag, invited_at.
///                     Index: channel_invites_by_invitee (invitee_tag).
/// offline_messages    id INTEGER PK AUTOINCREMENT (monotonic, never reused), to_tag, from_tag, conversation_tag
///                     (user or channel; not a foreign key), sent_at, flags INTEGER (byte), payload BLOB (≤ 64 KiB).
///                     Index: offline_messages_by_recipient (to_tag, id).
/// Every *_tag naming a user references accounts(tag).
/// </summary>
internal static class Migration001InitialSchema
{
    public static SchemaMigration Step { get; } = new(1, "Initial schema", """
        CREATE TABLE accounts (
            tag                 INTEGER PRIMARY KEY AUTOINCREMENT,
            username            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
            password_algorithm  INTEGER NOT NULL,
            password_iterations INTEGER NOT NULL,
            password_salt       BLOB    NOT NULL,
            password_hash       BLOB    NOT NULL,
            email               TEXT,
            nickname            TEXT    NOT NULL,
            full_name           TEXT,
            birth_date          TEXT,
            gender              TEXT,
            location            TEXT,
            created_at          INTEGER NOT NULL,
            is_admin            INTEGER NOT NULL DEFAULT 0,
            banned_until        INTEGER,
            ban_reason          TEXT,
            last_seen           INTEGER
        );
        INSERT INTO sqlite_sequence (name, seq) VALUES ('accounts', 2147483648);

        CREATE TABLE friend_requests (
            from_tag     INTEGER NOT NULL REFERENCES accounts (tag),
            to_tag       INTEGER NOT NULL REFERENCES accounts (tag),
            requested_at INTEGER NOT NULL,
            PRIMARY KEY (from_tag, to_tag)
        ) WITHOUT ROWID;
        CREATE INDEX friend_requests_by_target ON friend_requests (to_tag);

        CREATE TABLE friendships (
            user_tag   INTEGER NOT NULL REFERENCES accounts (tag),
            friend_tag INTEGER NOT NULL REFERENCES accounts (tag),
            since      INTEGER NOT NULL,
            PRIMARY KEY (user_tag, friend_tag)
        ) WITHOUT ROWID;

        CREATE TABLE ignores (
            user_tag    INTEGER NOT NULL REFERENCES accounts (tag),
            ignored_tag INTEGER NOT NULL REFERENCES accounts (tag),
            PRIMARY KEY (user_tag, ignored_tag)
        ) WITHOUT ROWID;

        CREATE TABLE channels (
            tag         INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
            topic       TEXT,
            invite_only INTEGER NOT NULL DEFAULT 0,
            creator_tag INTEGER REFERENCES accounts (tag),
            created_at  INTEGER NOT NULL
        );
        INSERT INTO channels (tag, name, topic, invite_only, creator_tag, created_at) VALUES (1, 'general', NULL, 0, NULL, 0);

        CREATE TABLE channel_members (
            channel_tag INTEGER NOT NULL REFERENCES channels (tag) ON DELETE CASCADE,
            user_tag    INTEGER NOT NULL REFERENCES accounts (tag),
            is_operator INTEGER NOT NULL DEFAULT 0,
            joined_at   INTEGER NOT NULL,
            PRIMARY KEY (channel_tag, user_tag)
        ) WITHOUT ROWID;
        CREATE INDEX channel_members_by_user ON channel_members (user_tag);

        CREATE TABLE channel_invites (
            channel_tag INTEGER NOT NULL REFERENCES channels (tag) ON DELETE CASCADE,
            invitee_tag INTEGER NOT NULL REFERENCES accounts (tag),
            inviter_tag INTEGER NOT NULL REFERENCES accounts (tag),
            invited_at  INTEGER NOT NULL,
            PRIMARY KEY (channel_tag, invitee_tag)
        ) WITHOUT ROWID;
        CREATE INDEX channel_invites_by_invitee ON channel_invites (invitee_tag);

        CREATE TABLE offline_messages (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            to_tag           INTEGER NOT NULL REFERENCES accounts (tag),
            from_tag         INTEGER NOT NULL REFERENCES accounts (tag),
            conversation_tag INTEGER NOT NULL,
            sent_at          INTEGER NOT NULL,
            flags            INTEGER NOT NULL,
            payload          BLOB    NOT NULL
        );
        CREATE INDEX offline_messages_by_recipient ON offline_messages (to_tag, id);
        """);
}
