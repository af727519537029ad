// Account operations of the SQLite store: registration (tag allocation, first-admin), lookups, profile, password, ban.
using System.Globalization;
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Accounts;

namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    private const string BirthDateFormat = "yyyy-MM-dd";

    private const string AccountColumns = """
        tag, username, password_algorithm, password_iterations, password_salt, password_hash,
        nickname, email, full_name, birth_date, gender, location,
        created_at, is_admin, banned_until, ban_reason, identity_key, last_seen,
        password_memory_kib, password_parallelism
        """;

    public Task<RegistrationResult> RegisterAccountAsync(NewAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrWhiteSpace(account.Username);
        ArgumentNullException.ThrowIfNull(account.Password);
        var profile = account.Profile ?? new AccountProfile(account.Username);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Nickname, nameof(account));
        var createdAt = NowUnixMs;
        // Check, allocate and insert in one BEGIN IMMEDIATE transaction: no other writer (thread or process)
        // can slip in between, so exactly one of several same-name registrations wins and exactly one
        // account ever sees the table empty (and becomes admin). The UNIQUE index is the backstop.
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (await ExistsAsync(connection, transaction, "SELECT 1 FROM accounts WHERE username = $username", cancellationToken, ("$username", account.Username)))
            {
                return new RegistrationResult(RegistrationOutcome.UsernameTaken, null);
            }
            await BindProfile(connection.Command($"""
                INSERT INTO accounts (username, password_algorithm, password_iterations, password_salt, password_hash,
                                      password_memory_kib, password_parallelism, nickname, email, full_name, birth_date, gender, location, created_at, is_admin)
                VALUES ($username, $algorithm, $iterations, $salt, $hash, $memoryKib, $parallelism,
                        $nickname, $email, $fullName, $birthDate, $gender, $location, $createdAt,
                        NOT EXISTS (SELECT 1 FROM accounts))
                """, transaction), profile)
                .With("$username", account.Username)
                .With("$algorithm", (long)account.Password.Algorithm)
                .With("$iterations", account.Password.Iterations)
                .With("$salt", SqliteCommands.ToBlob(account.Password.Salt))
                .With("$hash", SqliteCommands.ToBlob(account.Password.Hash))
                .With("$memoryKib", account.Password.MemoryKib)
                .With("$parallelism", account.Password.Parallelism)
                .With("$createdAt", createdAt)
                .ExecuteAsync(cancellationToken);
            var tag = await connection.Command("SELECT last_insert_rowid()", transaction).ScalarInt64Async(cancellationToken) ?? 0;
            if (tag > uint.MaxValue)
            {
                throw new InvalidOperationException("User tags are exhausted.");
            }
            var stored = await connection.Command($"SELECT {AccountColumns} FROM accounts WHERE tag = $tag", transaction)
                .With("$tag", tag)
                .SingleOrDefaultAsync(ReadAccount, cancellationToken);
            return new RegistrationResult(RegistrationOutcome.Registered, stored);
        }, cancellationToken);
    }

    public Task<Account?> FindAccountByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        return QuerySingleAsync($"SELECT {AccountColumns} FROM accounts WHERE username = $username", ReadAccount, cancellationToken, ("$username", username));
    }

    public Task<Account?> FindAccountByTagAsync(uint userTag, CancellationToken cancellationToken) =>
        QuerySingleAsync($"SELECT {AccountColumns} FROM accounts WHERE tag = $tag", ReadAccount, cancellationToken, ("$tag", (long)userTag));

    public async Task<bool> UpdateProfileAsync(uint userTag, AccountProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile.Nickname, nameof(profile));
        return await _database.WriteAsync(async (connection, transaction) =>
            await BindProfile(connection.Command("""
                UPDATE accounts SET nickname = $nickname, email = $email, full_name = $fullName,
                                    birth_date = $birthDate, gender = $gender, location = $location
                WHERE tag = $tag
                """, transaction), profile).With("$tag", (long)userTag).ExecuteAsync(cancellationToken) > 0, cancellationToken);
    }

    public async Task<bool> SetPasswordAsync(uint userTag, PasswordHash password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        return await ExecuteWriteAsync("""
            UPDATE accounts SET password_algorithm = $algorithm, password_iterations = $iterations,
                                password_salt = $salt, password_hash = $hash,
                                password_memory_kib = $memoryKib, password_parallelism = $parallelism
            WHERE tag = $tag
            """, cancellationToken,
            ("$algorithm", (long)password.Algorithm), ("$iterations", password.Iterations),
            ("$salt", SqliteCommands.ToBlob(password.Salt)), ("$hash", SqliteCommands.ToBlob(password.Hash)),
            ("$memoryKib", password.MemoryKib), ("$parallelism", password.Parallelism),
            ("$tag", (long)userTag)) > 0;
    }

    public async Task<bool> SetLastSeenAsync(uint userTag, DateTimeOffset lastSeen, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("UPDATE accounts SET last_seen = $lastSeen WHERE tag = $tag", cancellationToken,
            ("$lastSeen", SqliteCommands.ToUnixMs(lastSeen)), ("$tag", (long)userTag)) > 0;

    public async Task<bool> SetBanAsync(uint userTag, AccountBan? ban, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("UPDATE accounts SET banned_until = $until, ban_reason = $reason WHERE tag = $tag", cancellationToken,
            ("$until", SqliteCommands.ToUnixMs(ban?.Until)), ("$reason", ban?.Reason), ("$tag", (long)userTag)) > 0;

    public async Task<bool> SetIdentityKeyAsync(uint userTag, ReadOnlyMemory<byte>? identityKey, CancellationToken cancellationToken) =>
        await ExecuteWriteAsync("UPDATE accounts SET identity_key = $key WHERE tag = $tag", cancellationToken,
            ("$key", identityKey is { } key ? SqliteCommands.ToBlob(key) : null), ("$tag", (long)userTag)) > 0;

    private static SqliteCommand BindProfile(SqliteCommand command, AccountProfile profile) =>
        command.With("$nickname", profile.Nickname)
            .With("$email", profile.Email)
            .With("$fullName", profile.FullName)
            .With("$birthDate", profile.BirthDate?.ToString(BirthDateFormat, CultureInfo.InvariantCulture))
            .With("$gender", profile.Gender)
            .With("$location", profile.Location);

    /// <summary>Maps a row selected with <see cref="AccountColumns"/>.</summary>
    private static Account ReadAccount(SqliteDataReader row)
    {
        var birthDate = row.NullableStringAt(9);
        var bannedUntil = row.NullableTimeAt(14);
        return new Account(
            Tag: row.TagAt(0),
            Username: row.GetString(1),
            Password: new PasswordHash((PasswordAlgorithm)row.GetInt64(2), row.GetInt32(3), row.BlobAt(4), row.BlobAt(5), row.GetInt32(18), row.GetInt32(19)),
            Profile: new AccountProfile(
                Nickname: row.GetString(6),
                Email: row.NullableStringAt(7),
                FullName: row.NullableStringAt(8),
                BirthDate: birthDate is null ? null : DateOnly.ParseExact(birthDate, BirthDateFormat, CultureInfo.InvariantCulture),
                Gender: row.NullableStringAt(10),
                Location: row.NullableStringAt(11)),
            CreatedAt: row.TimeAt(12),
            IsAdmin: row.GetInt64(13) != 0,
            Ban: bannedUntil is { } until ? new AccountBan(until, row.NullableStringAt(15)) : null,
            IdentityKey: row.NullableBlobAt(16) is { } key ? (ReadOnlyMemory<byte>?)key : null,
            LastSeen: row.NullableTimeAt(17));
    }

    public Task<string?> FindLookAlikeUsernameAsync(string name, uint exceptTag, CancellationToken cancellationToken)
    {
        var (exact, folded) = Core.Unicode.UnicodePolicy.LookAlikeKeys(name);
        // A scan with the keys computed per row (NICK and REGISTER are rare; an indexed key column is the upgrade path).
        return _database.ReadAsync(connection =>
        {
            connection.CreateFunction("p2p_exact_key", (string u) => Core.Unicode.UnicodePolicy.LookAlikeKeys(u).Exact, isDeterministic: true);
            connection.CreateFunction("p2p_folded_key", (string u) => Core.Unicode.UnicodePolicy.LookAlikeKeys(u).Folded, isDeterministic: true);
            return connection.Command("""
                SELECT username FROM accounts
                WHERE tag <> $except AND (p2p_exact_key(username) = $exact OR p2p_folded_key(username) = $folded) LIMIT 1
                """).With("$except", (long)exceptTag).With("$exact", exact).With("$folded", folded)
                .SingleOrDefaultAsync(row => row.GetString(0), cancellationToken);
        }, cancellationToken);
    }
}
