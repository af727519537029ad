// Test helper: independent, unpooled SQLite connections for inspecting and preparing database files.
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Tests.Storage;

internal static class RawSqlite
{
    public static SqliteConnection Open(string path, SqliteOpenMode mode = SqliteOpenMode.ReadWriteCreate)
    {
        SqliteNative.EnsureLoaded();
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static long Count(this SqliteConnection connection, string sql) => (long)connection.Scalar(sql)!;

    /// <summary>The first column of every row, as bytes.</summary>
    public static List<byte[]> Blobs(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<byte[]>();
        while (reader.Read()) rows.Add((byte[])reader.GetValue(0));
        return rows;
    }

    public static void Execute(this SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Copies the database file and its WAL (not the shared-memory index, which is rebuilt on open)
    /// into <paramref name="targetFolder"/>: the files as a killed process would leave them on disk.</summary>
    public static void SnapshotFiles(string databaseFile, string targetFolder)
    {
        var target = Path.Combine(targetFolder, Path.GetFileName(databaseFile));
        File.Copy(databaseFile, target, overwrite: true);
        if (File.Exists(databaseFile + "-wal"))
        {
            File.Copy(databaseFile + "-wal", target + "-wal", overwrite: true);
        }
    }
}
