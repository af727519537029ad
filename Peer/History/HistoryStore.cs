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
/// corrupts what is there. Schema version in <c>PRAGMA user_version</c>.
/// </summary>
public sealed class HistoryStore : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    static HistoryStore() => SQLitePCL.Batteries_V2.Init();

    public HistoryStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Migrate();
    }

    public static HistoryStore OpenInProfile(string profileDir) => new(Path.Combine(profileDir, "history.db"));

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
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                INSERT INTO lines(buffer, sender, text, sent_at, kind, encrypted, offline)
                VALUES ($b, $s, $t, $at, $k, $e, $o) RETURNING id
                """;
            cmd.Parameters.AddWithValue("$b", entry.Buffer);
            cmd.Parameters.AddWithValue("$s", entry.Sender);
            cmd.Parameters.AddWithValue("$t", entry.Text);
            cmd.Parameters.AddWithValue("$at", entry.SentAt.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$k", (int)entry.Kind);
            cmd.Parameters.AddWithValue("$e", entry.Encrypted ? 1 : 0);
            cmd.Parameters.AddWithValue("$o", entry.Offline ? 1 : 0);
            return entry with { Id = (long)cmd.ExecuteScalar()! };
        }
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

    public void Dispose() => _db.Dispose();
}
