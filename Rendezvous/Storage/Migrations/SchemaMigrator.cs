// Applies numbered schema steps in order, each in its own transaction, tracking progress in PRAGMA user_version.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage.Migrations;

/// <summary>
/// State machine per database file, driven by <c>PRAGMA user_version</c> (0 for a new file):
/// version v &lt; latest → run step v+1 inside <c>BEGIN IMMEDIATE</c>, set user_version = v+1, commit → repeat;
/// v = latest → done; v &gt; latest → <see cref="SchemaTooNewException"/>, nothing touched.
/// user_version lives in the database header, so it commits or rolls back together with the step:
/// a crash mid-step leaves the previous version and its data intact, and the step reruns next start.
/// The version is re-read inside each transaction so two processes opening one file cannot apply a step twice.
/// </summary>
internal sealed class SchemaMigrator
{
    private readonly IReadOnlyList<SchemaMigration> _migrations;

    public SchemaMigrator(IReadOnlyList<SchemaMigration> migrations)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new ArgumentException($"Migration at index {i} has version {migrations[i].Version}; steps must be numbered 1, 2, 3, ...", nameof(migrations));
            }
        }
        _migrations = migrations;
    }

    public int LatestVersion => _migrations.Count;

    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        (int)(await connection.Command("PRAGMA user_version;", transaction).ScalarInt64Async(cancellationToken) ?? 0);

    public async Task ThrowIfNewerAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, null, cancellationToken);
        if (version > LatestVersion)
        {
            throw new SchemaTooNewException(path, version, LatestVersion);
        }
    }

    public async Task MigrateAsync(SqliteConnection connection, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version > LatestVersion)
            {
                throw new SchemaTooNewException(path, version, LatestVersion);
            }
            if (version == LatestVersion)
            {
                return;
            }
            var step = _migrations[version];
            await connection.Command(step.Sql, transaction).ExecuteAsync(cancellationToken);
            await connection.Command($"PRAGMA user_version = {step.Version};", transaction).ExecuteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
