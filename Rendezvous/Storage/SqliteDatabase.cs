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
/// <para>Threading: SQLite's calls block (reads, commits, fsyncs). With inline socket completions
/// (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, an operator's choice: docs/server.md "Threading") a session's
/// read loop runs on a socket event thread, which serves every connection of that thread: store work must not run
/// there, so <see cref="WriteAsync"/> and <see cref="ReadAsync"/> first move a caller on any thread outside the thread
/// pool onto a pool thread (<see cref="ThreadPoolHop"/>, awaited in the method itself; on a pool thread, the default,
/// it costs nothing).</para>
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

    /// <summary>
    /// Runs <paramref name="work"/> in a write transaction; it is committed when it returns and rolled back when it throws.
    /// Group commit: writes that queue while another batch holds the writer are run by the next holder together, each
    /// inside its own SAVEPOINT (so one that throws is rolled back alone), then committed with one COMMIT, one fsync.
    /// Each caller returns only after the commit that carries its write, exactly as before; under load many writes share
    /// one fsync instead of each waiting for all the fsyncs ahead of it.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await new ThreadPoolHop();   // never on a socket event thread (class summary, "Threading")
        var write = new PendingWrite<T>(work, cancellationToken);
        _pending.Enqueue(write);
        try { await _writeLock.WaitAsync(cancellationToken); }
        catch (OperationCanceledException) when (write.TryCancel()) { throw; }
        catch (OperationCanceledException)
        {
            // Another holder has already taken it into a batch: its outcome is that batch's.
            return await write.Result.ConfigureAwait(false);
        }
        try
        {
            if (!write.Result.IsCompleted)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                await RunBatchAsync();
            }
        }
        finally
        {
            _writeLock.Release();
        }
        return await write.Result.ConfigureAwait(false);
    }

    /// <summary>With the write lock held: takes what is queued (at most <see cref="MaxBatch"/>) and runs it as one
    /// transaction. A write that throws is rolled back to its savepoint and fails alone; if SQLite rolled the whole
    /// transaction back (disk full, I/O error), the writes already run in it fail with that error too, the writer is
    /// recovered, and the rest go on in a fresh transaction. A failed COMMIT fails the whole batch.</summary>
    private async Task RunBatchAsync()
    {
        var batch = new List<PendingWrite>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var next))
            if (next.TryStart()) batch.Add(next);
        var index = 0;
        while (index < batch.Count)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var run = new List<PendingWrite>();
            SqliteTransaction? transaction = null;
            try
            {
                transaction = _writer.BeginTransaction(deferred: false);
                for (; index < batch.Count; index++)
                {
                    var write = batch[index];
                    transaction.Save(Savepoint);
                    try
                    {
                        await write.RunAsync(_writer, transaction);
                        transaction.Release(Savepoint);
                        run.Add(write);
                    }
                    catch (Exception ex) when (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle!) == 0 && TryRollBackTo(transaction))
                    {
                        write.Fail(ex);
                    }
                }
                await transaction.CommitAsync(CancellationToken.None);
                await transaction.DisposeAsync();
                Writes.Committed();
                foreach (var write in run) write.Succeed();
            }
            catch (Exception ex)
            {
                // The transaction is gone: nothing run in it is stored. The write that was running fails with the error.
                if (index < batch.Count && !run.Contains(batch[index])) batch[index++].Fail(ex);
                foreach (var write in run) write.Fail(ex);
                try { await RecoverWriterAsync(transaction); }
                catch (Exception recover)
                {
                    for (; index < batch.Count; index++) batch[index].Fail(recover);
                }
            }
            finally
            {
                var took = System.Diagnostics.Stopwatch.GetTimestamp() - started;
                foreach (var write in run) Writes.Observe(started - write.Queued, took);
            }
        }
    }

    private bool TryRollBackTo(SqliteTransaction transaction)
    {
        try
        {
            transaction.Rollback(Savepoint);
            transaction.Release(Savepoint);
            return true;
        }
        catch (SqliteException) { return false; }
    }

    private const string Savepoint = "w";

    /// <summary>Writes one transaction carries at most (a bound on how long one COMMIT keeps its callers waiting).</summary>
    private const int MaxBatch = 256;

    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _pending = new();

    /// <summary>A queued write: Pending → Running (taken into a batch) → done; or Pending → Cancelled by its caller.</summary>
    private abstract class PendingWrite
    {
        private int _state;   // 0 pending, 1 running, 2 cancelled
        public long Queued { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
        public bool TryStart() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;
        public bool TryCancel() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;
        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);
        public abstract void Succeed();
        public abstract void Fail(Exception error);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _value = default!;
        public Task<T> Result => _done.Task;

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _value = await work(connection, transaction);
        }

        public override void Succeed() => _done.TrySetResult(_value);
        public override void Fail(Exception error) => _done.TrySetException(error);
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
        await new ThreadPoolHop();   // never on a socket event thread (class summary, "Threading")
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
