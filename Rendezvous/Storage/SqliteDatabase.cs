// Owns the connections to one SQLite file: a single serialised writer and pooled read-only readers.
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage.Migrations;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// Writes go through one long-lived connection, one at a time (an async lock), each inside
/// <c>BEGIN IMMEDIATE … COMMIT</c>; an exception rolls the whole transaction back. With
/// <c>journal_mode=WAL</c> and <c>synchronous=FULL</c> a commit returns only after the WAL is fsynced, and
/// SQLite's journal guarantees that a killed process or a full disk leaves either the old or the new state.
/// Reads open pooled read-only connections and run concurrently with each other and with the writer.
/// A failed write never leaves the writer stuck: SQLite itself rolls a transaction back on some errors (SQLITE_FULL,
/// SQLITE_IOERR, SQLITE_NOMEM); then disposing the transaction would fail with "no transaction is active" and hide
/// the real error. So the rollback error is swallowed, the original error is what the caller sees, and if the
/// writer's state is not clean afterwards (rollback failed, or SQLite still has a transaction open) the writer
/// connection is closed and opened again. Once space is freed, the next write simply works.
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private SqliteConnection _writer;
    private readonly string _writerConnectionString;
    private readonly Action<SqliteConnection>? _configureWriter;
    private readonly string _readerConnectionString;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private bool _disposed;

    private SqliteDatabase(SqliteConnection writer, string writerConnectionString, Action<SqliteConnection>? configureWriter, string readerConnectionString, int busyTimeoutMs)
    {
        _writer = writer;
        _writerConnectionString = writerConnectionString;
        _configureWriter = configureWriter;
        _readerConnectionString = readerConnectionString;
        _busyTimeoutMs = busyTimeoutMs;
    }

    /// <summary>Opens (creating if needed) the file at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteDatabase> OpenAsync(string path, SqliteStoreOptions options, IReadOnlyList<SchemaMigration> migrations, CancellationToken cancellationToken)
    {
        SqliteNative.EnsureLoaded();
        var busyTimeoutMs = (int)options.BusyTimeout.TotalMilliseconds;
        var writerConnectionString = ConnectionString(path, SqliteOpenMode.ReadWriteCreate, pooling: false);
        var readerConnectionString = ConnectionString(path, SqliteOpenMode.ReadOnly, pooling: true);

        var writer = new SqliteConnection(writerConnectionString);
        try
        {
            await writer.OpenAsync(cancellationToken);
            await writer.Command($"PRAGMA busy_timeout = {busyTimeoutMs};").ExecuteAsync(cancellationToken);
            var migrator = new SchemaMigrator(migrations);
            await migrator.ThrowIfNewerAsync(writer, path, cancellationToken);
            await writer.Command("PRAGMA journal_mode = WAL;").ExecuteAsync(cancellationToken);
            await ConfigureWriterAsync(writer, busyTimeoutMs, cancellationToken);
            await migrator.MigrateAsync(writer, path, cancellationToken);
            options.ConfigureWriter?.Invoke(writer);
            return new SqliteDatabase(writer, writerConnectionString, options.ConfigureWriter, readerConnectionString, busyTimeoutMs);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <summary>The per-connection settings of the writer (journal_mode=WAL is persistent in the file).</summary>
    private static Task<int> ConfigureWriterAsync(SqliteConnection writer, int busyTimeoutMs, CancellationToken cancellationToken) =>
        writer.Command($"PRAGMA busy_timeout = {busyTimeoutMs}; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").ExecuteAsync(cancellationToken);

    private static string ConnectionString(string path, SqliteOpenMode mode, bool pooling) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Cache = SqliteCacheMode.Private, Pooling = pooling }.ToString();

    /// <summary>Runs <paramref name="work"/> in a write transaction; commits when it returns, rolls back when it throws.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var queued = System.Diagnostics.Stopwatch.GetTimestamp();
        await _writeLock.WaitAsync(cancellationToken);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SqliteTransaction? transaction = null;
            try
            {
                transaction = _writer.BeginTransaction(deferred: false);
                var result = await work(_writer, transaction);
                await transaction.CommitAsync(cancellationToken);
                await transaction.DisposeAsync();
                return result;
            }
            catch (Exception)
            {
                await RecoverWriterAsync(transaction);
                throw;
            }
        }
        finally
        {
            _writeLock.Release();
            Writes.Observe(started - queued, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>How many writes ran, how long they waited for the writer and how long they held it.</summary>
    public StoreWriteStats Writes { get; } = new();

    /// <summary>Called with the write lock held after a write failed: rolls back what is left of the transaction and,
    /// if the writer is not in autocommit mode afterwards (or the rollback itself failed), opens a fresh writer.</summary>
    private async Task RecoverWriterAsync(SqliteTransaction? transaction)
    {
        var clean = true;
        if (transaction is not null)
        {
            // Disposing rolls back; when SQLite already rolled back on its own this may throw "no transaction is active".
            try { await transaction.DisposeAsync(); }
            catch (SqliteException) { clean = false; }
        }
        if (clean && _writer.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) != 0) return;
        try { await _writer.DisposeAsync(); }
        catch (SqliteException) { /* the old connection is abandoned either way */ }
        var writer = new SqliteConnection(_writerConnectionString);
        try
        {
            await writer.OpenAsync(CancellationToken.None);
            await ConfigureWriterAsync(writer, _busyTimeoutMs, CancellationToken.None);
            _configureWriter?.Invoke(writer);
        }
        catch
        {
            await writer.DisposeAsync();
            // The disposed writer stays: the next write fails to begin, lands here again and retries the reopen.
            throw;
        }
        _writer = writer;
    }

    /// <summary>Runs <paramref name="work"/> on a read-only connection of its own.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var reader = new SqliteConnection(_readerConnectionString);
        await reader.OpenAsync(cancellationToken);
        await reader.Command($"PRAGMA busy_timeout = {_busyTimeoutMs};").ExecuteAsync(cancellationToken);
        return await work(reader);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            using (var pooled = new SqliteConnection(_readerConnectionString))
            {
                SqliteConnection.ClearPool(pooled);
            }
            await _writer.DisposeAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
