// End-to-end prekey operations of the SQLite store: signed prekey (replace) and one-time prekeys (add, take once, count).
namespace P2PChat.Rendezvous.Storage;

public sealed partial class SqliteRendezvousStore
{
    public Task<bool> SetSignedPrekeyAsync(uint userTag, ReadOnlyMemory<byte> signedPrekey, CancellationToken cancellationToken)
    {
        var blob = SqliteCommands.ToBlob(signedPrekey);
        return _database.WriteAsync(async (connection, transaction) =>
            await AccountExistsAsync(connection, transaction, userTag, cancellationToken)
            && await connection.Command("""
                INSERT INTO signed_prekeys (user_tag, prekey, updated_at) VALUES ($user, $prekey, $now)
                ON CONFLICT (user_tag) DO UPDATE SET prekey = excluded.prekey, updated_at = excluded.updated_at
                """, transaction).With("$user", (long)userTag).With("$prekey", blob).With("$now", NowUnixMs).ExecuteAsync(cancellationToken) > 0,
            cancellationToken);
    }

    public async Task<ReadOnlyMemory<byte>?> GetSignedPrekeyAsync(uint userTag, CancellationToken cancellationToken) =>
        await QuerySingleAsync("SELECT prekey FROM signed_prekeys WHERE user_tag = $user", row => row.BlobAt(0), cancellationToken, ("$user", (long)userTag))
            is { } prekey ? (ReadOnlyMemory<byte>?)prekey : null;

    public Task<int> AddOneTimePrekeysAsync(uint userTag, IReadOnlyList<ReadOnlyMemory<byte>> prekeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prekeys);
        return _database.WriteAsync(async (connection, transaction) =>
        {
            if (!await AccountExistsAsync(connection, transaction, userTag, cancellationToken))
            {
                return 0;
            }
            await using (var insert = connection.Command("INSERT INTO one_time_prekeys (user_tag, prekey) VALUES ($user, $prekey)", transaction))
            {
                var user = insert.Parameters.AddWithValue("$user", (long)userTag);
                var prekey = insert.Parameters.Add("$prekey", Microsoft.Data.Sqlite.SqliteType.Blob);
                foreach (var key in prekeys)
                {
                    prekey.Value = SqliteCommands.ToBlob(key);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            return (int)(await connection.Command("SELECT COUNT(*) FROM one_time_prekeys WHERE user_tag = $user", transaction)
                .With("$user", (long)userTag).ScalarInt64Async(cancellationToken) ?? 0);
        }, cancellationToken);
    }

    public Task<ReadOnlyMemory<byte>?> TakeOneTimePrekeyAsync(uint userTag, CancellationToken cancellationToken) =>
        // Select and delete inside one serialised write transaction: no two takes can see the same row.
        _database.WriteAsync<ReadOnlyMemory<byte>?>(async (connection, transaction) =>
        {
            var oldest = await connection.Command("SELECT id, prekey FROM one_time_prekeys WHERE user_tag = $user ORDER BY id LIMIT 1", transaction)
                .With("$user", (long)userTag)
                .SingleOrDefaultAsync(row => (Id: row.GetInt64(0), Prekey: row.BlobAt(1)), cancellationToken);
            if (oldest.Prekey is null)
            {
                return null;
            }
            await connection.Command("DELETE FROM one_time_prekeys WHERE id = $id", transaction).With("$id", oldest.Id).ExecuteAsync(cancellationToken);
            return oldest.Prekey;
        }, cancellationToken);

    public async Task<int> CountOneTimePrekeysAsync(uint userTag, CancellationToken cancellationToken) =>
        (int)await QueryInt64Async("SELECT COUNT(*) FROM one_time_prekeys WHERE user_tag = $user", cancellationToken, ("$user", (long)userTag));
}
