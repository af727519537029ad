// Moves history.db's write-ahead log into the database on a pool thread, so no message waits for a checkpoint's fsyncs.
using Microsoft.Data.Sqlite;

namespace P2PChat.Peer.History;

/// <summary>
/// SQLite checkpoints a WAL database by itself (<c>wal_autocheckpoint</c>, 1000 pages) inside whichever commit makes
/// the log that long, and with <c>synchronous=NORMAL</c> that checkpoint syncs the log and then the database: two
/// fsyncs (2–10 ms each on this machine's disk when quiet, tens under load) in the path of one message in a few hundred
/// (every ~330 appends: a line touches the table, its index and <c>sqlite_sequence</c>). <see cref="HistoryStore"/>
/// turns that off on its own connection and calls <see cref="AfterAppend"/> instead: every
/// <see cref="AppendsPerCheckpoint"/> appends, one <c>PRAGMA wal_checkpoint(PASSIVE)</c> runs on a pool thread over a
/// second connection of its own. A passive checkpoint takes no lock a writer needs (WAL writers and the checkpointer
/// use different locks), so appends go on meanwhile; at most one runs at a time, and a request while one runs is
/// folded into the next. Durability is unchanged: a commit is in the log either way, and a checkpoint only copies
/// committed pages into the database file (a crash in the middle is replayed from the log on the next open).
/// </summary>
internal sealed class HistoryCheckpointer(string path) : IDisposable
{
    /// <summary>About 600 log pages (2.4 MB) between checkpoints: under SQLite's own 1000.</summary>
    public const int AppendsPerCheckpoint = 200;

    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private Task _running = Task.CompletedTask;
    private int _appends;
    private bool _disposed;

    /// <summary>Checkpoints completed so far (for tests and diagnostics).</summary>
    public int Completed { get; private set; }

    /// <summary>(log frames, frames copied into the database) as the last checkpoint reported them.</summary>
    public (long Log, long Checkpointed) LastResult { get; private set; }

    /// <summary>Counts one append; every <see cref="AppendsPerCheckpoint"/>th starts a checkpoint unless one is running.</summary>
    public void AfterAppend()
    {
        lock (_gate)
        {
            if (_disposed || ++_appends < AppendsPerCheckpoint || !_running.IsCompleted) return;
            _appends = 0;
            _running = Task.Run(Checkpoint, CancellationToken.None);
        }
    }

    /// <summary>Completes when no checkpoint is running (the one running now, if any, has finished).</summary>
    public Task IdleAsync()
    {
        lock (_gate) return _running;
    }

    private void Checkpoint()
    {
        try
        {
            _connection ??= Open(path);
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var r = cmd.ExecuteReader();
            if (r.Read()) LastResult = (r.GetInt64(1), r.GetInt64(2));
            Completed++;
        }
        catch (SqliteException)
        {
            // Busy or failed: the log only grows until the next try; the appends themselves report their own failures.
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Waits for a running checkpoint and closes the connection (the store's last close checkpoints the rest).</summary>
    public void Dispose()
    {
        Task running;
        lock (_gate)
        {
            _disposed = true;
            running = _running;
        }
        running.GetAwaiter().GetResult();
        _connection?.Dispose();
    }
}
