// The profile's local history database (history.db): appends conversation lines and reads them back for scrollback.
using Microsoft.Data.Sqlite;

namespace P2PChat.Peer.History;

/// <summary>
/// SQLite in WAL mode, one table:
/// <code>
/// lines(id INTEGER PRIMARY KEY AUTOINCREMENT, buffer TEXT, sender TEXT, text TEXT,
///       sent_at INTEGER -- unix ms UTC, kind INTEGER, encrypted INTEGER, offline INTEGER)
/// index lines_by_buffer(buffer, id)
/// </code>
/// Every append is its own transaction, so a killed process loses at most the line being written and never
/// corrupts what is there. The INSERT is prepared once; the log is checkpointed off the caller's thread
/// (<see cref="HistoryCheckpointer"/>), not inside whichever append makes it long. Schema version in <c>PRAGMA user_version</c>. An existing file that is empty, not a
/// database or fails <c>PRAGMA quick_check</c> is refused (<see cref="HistoryDamagedException"/>) and never silently
/// replaced; <see cref="OpenOrSetAside"/> keeps it aside and says so.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();
    private readonly SqliteCommand _insert;
    private readonly HistoryCheckpointer _checkpointer;

    static HistoryStore() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating if missing) the history at <paramref name="path"/>.</summary>
    /// <exception cref="HistoryDamagedException">the file exists but is empty, not a database, or fails SQLite's
    /// quick check; nothing was changed (see <see cref="OpenOrSetAside"/>).</exception>
    public HistoryStore(string path)
    {
        Path = path;
        var existed = File.Exists(path);
        if (existed && new FileInfo(path).Length == 0)
            throw new HistoryDamagedException(path, "it is empty (0 bytes), so whatever history it held is gone");
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            _db.Open();
            if (existed && Scalar("PRAGMA quick_check") is not "ok")
                throw new HistoryDamagedException(path, "SQLite's quick check found it damaged");
            Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA wal_autocheckpoint=0;");
            Migrate();
            _insert = PrepareInsert(_db);
            _checkpointer = new HistoryCheckpointer(path);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)   // SQLITE_CORRUPT, SQLITE_NOTADB
        {
            _db.Dispose();
            throw new HistoryDamagedException(path, e.Message, e);
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Where a damaged history was kept when this one was opened in its place (see <see cref="OpenOrSetAside"/>).</summary>
    public string? SetAside { get; private init; }

    /// <summary>Why the history was set aside, for the user.</summary>
    public string? SetAsideReason { get; private init; }

    public static HistoryStore OpenInProfile(string profileDir) => OpenOrSetAside(System.IO.Path.Combine(profileDir, "history.db"), TimeProvider.System);

    /// <summary>
    /// Opens the history; if it is damaged, never replaces it silently: the file (with its -wal and -shm) is renamed
    /// to <c>history.db.damaged-YYYYMMDDTHHMMSSZ</c>, a new empty history is started, and <see cref="SetAside"/> and
    /// <see cref="SetAsideReason"/> say so, for the caller to tell the user.
    /// </summary>
    public static HistoryStore OpenOrSetAside(string path, TimeProvider time)
    {
        try { return new HistoryStore(path); }
        catch (HistoryDamagedException damaged)
        {
            SqliteConnection.ClearAllPools();
            var aside = $"{path}.damaged-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(path + suffix)) File.Move(path + suffix, aside + suffix);
            return new HistoryStore(path) { SetAside = aside, SetAsideReason = damaged.Reason };
        }
    }

    private void Migrate()
    {
        var version = Convert.ToInt32(Scalar("PRAGMA user_version"));
        if (version > SchemaVersion)
            throw new InvalidOperationException($"history.db has schema {version}, newer than this p2pchat knows ({SchemaVersion})");
        if (version < 1)
        {
            Execute("""
                BEGIN;
                CREATE TABLE lines(
                    id INTEGER PRIMARY KEY AUTOINCREMENT, buffer TEXT NOT NULL, sender TEXT NOT NULL, text TEXT NOT NULL,
                    sent_at INTEGER NOT NULL, kind INTEGER NOT NULL, encrypted INTEGER NOT NULL, offline INTEGER NOT NULL);
                CREATE INDEX lines_by_buffer ON lines(buffer, id);
                PRAGMA user_version = 1;
                COMMIT;
                """);
        }
    }

    /// <summary>Stores a line and returns it with its id.</summary>
    public HistoryEntry Append(HistoryEntry entry)
    {
        long id;
        lock (_gate)
        {
            var p = _insert.Parameters;
            p[0].Value = entry.Buffer;
            p[1].Value = entry.Sender;
            p[2].Value = entry.Text;
            p[3].Value = entry.SentAt.ToUnixTimeMilliseconds();
            p[4].Value = (int)entry.Kind;
            p[5].Value = entry.Encrypted ? 1 : 0;
            p[6].Value = entry.Offline ? 1 : 0;
            id = (long)_insert.ExecuteScalar()!;
        }
        _checkpointer.AfterAppend();
        return entry with { Id = id };
    }

    /// <summary>Completes when no log checkpoint is running (tests).</summary>
    internal Task CheckpointIdleAsync() => _checkpointer.IdleAsync();

    /// <summary>The log checkpoints run off the append path so far (tests).</summary>
    internal HistoryCheckpointer Checkpointer => _checkpointer;

    private static SqliteCommand PrepareInsert(SqliteConnection db)
    {
        var cmd = db.CreateCommand();
        cmd.CommandText = """
            INSERT INTO lines(buffer, sender, text, sent_at, kind, encrypted, offline)
            VALUES ($b, $s, $t, $at, $k, $e, $o) RETURNING id
            """;
        foreach (var name in new[] { "$b", "$s", "$t", "$at", "$k", "$e", "$o" }) cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        cmd.Prepare();
        return cmd;
    }

    /// <summary>The last <paramref name="limit"/> lines of a buffer before <paramref name="beforeId"/> (all when null), oldest first.</summary>
    public IReadOnlyList<HistoryEntry> Recent(string buffer, int limit = 10_000, long? beforeId = null)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT id, buffer, sender, text, sent_at, kind, encrypted, offline FROM lines
                WHERE buffer = $b AND id < $before ORDER BY id DESC LIMIT $n
                """;
            cmd.Parameters.AddWithValue("$b", buffer);
            cmd.Parameters.AddWithValue("$before", beforeId ?? long.MaxValue);
            cmd.Parameters.AddWithValue("$n", limit);
            var lines = new List<HistoryEntry>();
            using var r = cmd.ExecuteReader();
            while (r.Read())
                lines.Add(new HistoryEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
                    DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), (HistoryKind)r.GetInt32(5), r.GetInt32(6) != 0, r.GetInt32(7) != 0));
            lines.Reverse();
            return lines;
        }
    }

    /// <summary>Every buffer that has history, most recently active first.</summary>
    public IReadOnlyList<string> Buffers()
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT buffer FROM lines GROUP BY buffer ORDER BY MAX(id) DESC";
            var buffers = new List<string>();
            using var r = cmd.ExecuteReader();
            while (r.Read()) buffers.Add(r.GetString(0));
            return buffers;
        }
    }

    private void Execute(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        _checkpointer.Dispose();
        lock (_gate)
        {
            _insert.Dispose();
            _db.Dispose();
        }
    }
}

/// <summary>history.db exists but cannot be used as it is.</summary>
public sealed class HistoryDamagedException(string path, string reason, Exception? inner = null)
    : Exception($"{path} is damaged: {reason}", inner)
{
    public string Reason { get; } = reason;
}
