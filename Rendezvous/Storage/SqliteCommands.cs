// Small helpers to build parameterised commands and convert values between .NET and SQLite columns.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage;

internal static class SqliteCommands
{
    /// <summary>A command on <paramref name="connection"/>, enlisted in <paramref name="transaction"/> if given.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Adds a parameter; null becomes SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static async Task<long?> ScalarInt64Async(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? null : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static async Task<int> ExecuteAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Reads every row with <paramref name="map"/>.</summary>
    public static async Task<IReadOnlyList<T>> ListAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(map(reader));
            }
            return rows.AsReadOnly();
        }
    }

    /// <summary>Reads the first row with <paramref name="map"/>, or default when there is none.</summary>
    public static async Task<T?> SingleOrDefaultAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using (command)
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? map(reader) : default;
        }
    }

    // ---- column conversions: times are INTEGER Unix milliseconds (UTC), tags INTEGER, blobs BLOB ----

    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    public static DateTimeOffset TimeAt(this SqliteDataReader row, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(ordinal));

    public static DateTimeOffset? NullableTimeAt(this SqliteDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.TimeAt(ordinal);

    public static uint TagAt(this SqliteDataReader row, int ordinal) => checked((uint)row.GetInt64(ordinal));

    public static string? NullableStringAt(this SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    public static byte[] BlobAt(this SqliteDataReader row, int ordinal) => (byte[])row.GetValue(ordinal);

    public static byte[]? NullableBlobAt(this SqliteDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.BlobAt(ordinal);

    /// <summary>The bytes to bind as a BLOB parameter (no copy when the memory is a whole array).</summary>
    public static byte[] ToBlob(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var segment)
        && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
