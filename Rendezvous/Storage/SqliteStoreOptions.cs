// Settings of the SQLite store: offline queue cap, clock, lock wait.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage;

public sealed record SqliteStoreOptions
{
    /// <summary>File name inside the data folder.</summary>
    public const string DatabaseFileName = "rendezvous.db";

    /// <summary>Pending offline messages a recipient may hold; null for no cap.</summary>
    public int? MaxOfflineMessagesPerRecipient { get; init; } = 10_000;

    /// <summary>Clock for the timestamps the store writes itself (created, joined, requested, invited).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a connection waits for another process's lock before failing with SQLITE_BUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Test hook run on the writer connection after its pragmas (e.g. cap the page count to simulate a full disk).</summary>
    internal Action<SqliteConnection>? ConfigureWriter { get; init; }
}
