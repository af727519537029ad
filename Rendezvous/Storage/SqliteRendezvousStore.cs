// The SQLite engine of IRendezvousStore: opening <dataDir>/rendezvous.db and the shared query plumbing.
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage.Migrations;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// <see cref="IRendezvousStore"/> on one SQLite file (WAL, synchronous=FULL, foreign keys on). Writes are
/// serialised through one connection, each operation one transaction; reads run concurrently. The operations
/// live in the partial files next to this one, one per domain (accounts, friends, ignores, channels,
/// offline messages, key material).
/// </summary>
public sealed partial class SqliteRendezvousStore : IRendezvousStore
{
    private readonly SqliteDatabase _database;

    /// <summary>Diagnostics of the writer (logged with the server's counters when it stops).</summary>
    public StoreWriteStats Writes => _database.Writes;
    private readonly SqliteStoreOptions _options;

    private SqliteRendezvousStore(SqliteDatabase database, SqliteStoreOptions options, string path)
    {
        _database = database;
        _options = options;
        DatabasePath = path;
    }

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Opens or creates <c>rendezvous.db</c> in <paramref name="dataDirectory"/> (created if missing) and
    /// migrates it to the current schema. Throws <see cref="SchemaTooNewException"/> for a newer file.</summary>
    public static Task<SqliteRendezvousStore> OpenAsync(string dataDirectory, SqliteStoreOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenWithMigrationsAsync(dataDirectory, options, SchemaMigrations.All, cancellationToken);

    internal static async Task<SqliteRendezvousStore> OpenWithMigrationsAsync(string dataDirectory, SqliteStoreOptions? options, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        options ??= new SqliteStoreOptions();
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, SqliteStoreOptions.DatabaseFileName));
        var database = await SqliteDatabase.OpenAsync(path, options, migrations, cancellationToken);
        return new SqliteRendezvousStore(database, options, path);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private long NowUnixMs => SqliteCommands.ToUnixMs(_options.TimeProvider.GetUtcNow());

    /// <summary>One statement in its own write transaction; returns the number of rows changed.</summary>
    private Task<int> ExecuteWriteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        _database.WriteAsync((connection, transaction) => Bind(connection.Command(sql, transaction), parameters).ExecuteAsync(cancellationToken), cancellationToken);

    /// <summary>All rows of one query on a reader connection.</summary>
    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        _database.ReadAsync(connection => Bind(connection.Command(sql), parameters).ListAsync(map, cancellationToken), cancellationToken);

    /// <summary>The first row of one query on a reader connection, or default.</summary>
    private Task<T?> QuerySingleAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        _database.ReadAsync(connection => Bind(connection.Command(sql), parameters).SingleOrDefaultAsync(map, cancellationToken), cancellationToken);

    /// <summary>A single integer (COUNT, EXISTS) from a reader connection; 0 when NULL.</summary>
    private async Task<long> QueryInt64Async(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await _database.ReadAsync(connection => Bind(connection.Command(sql), parameters).ScalarInt64Async(cancellationToken), cancellationToken) ?? 0;

    private static SqliteCommand Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }
        return command;
    }

    private static async Task<bool> ExistsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Bind(connection.Command(sql, transaction), parameters).ScalarInt64Async(cancellationToken) is not null;

    private static Task<bool> AccountExistsAsync(SqliteConnection connection, SqliteTransaction transaction, uint userTag, CancellationToken cancellationToken) =>
        ExistsAsync(connection, transaction, "SELECT 1 FROM accounts WHERE tag = $tag", cancellationToken, ("$tag", (long)userTag));

    private static void RequireUserTag(uint tag, string parameterName)
    {
        if (!StoreTags.IsUser(tag))
        {
            throw new ArgumentException($"0x{tag:X8} is not a user tag (the top bit must be set).", parameterName);
        }
    }

    private static void RequireCreatedChannelTag(uint tag, string parameterName)
    {
        if (!StoreTags.IsChannel(tag) || tag == StoreTags.GeneralChannel)
        {
            throw new ArgumentException($"0x{tag:X8} is not the tag of a created channel (general is implicit).", parameterName);
        }
    }
}
