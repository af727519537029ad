// Settings of the SQLite store: offline queue caps, clock, lock wait.
using Microsoft.Data.Sqlite;

namespace P2PChat.Rendezvous.Storage;

public sealed record SqliteStoreOptions
{
    /// <summary>File name inside the data folder.</summary>
    public const string DatabaseFileName = "rendezvous.db";

    /// <summary>Pending offline messages a recipient may hold; null for no cap.</summary>
    public int? MaxOfflineMessagesPerRecipient { get; init; } = 10_000;

    /// <summary>Pending offline messages one sender may hold in one recipient's queue; null for no cap.</summary>
    public int? MaxOfflineMessagesPerSender { get; init; }

    /// <summary>Part of <see cref="MaxOfflineMessagesPerRecipient"/> only the recipient's friends may fill: senders who
    /// are not their friends together hold at most the rest. Null (or no recipient cap): no reserve.</summary>
    public int? OfflineFriendsReserve { get; init; }

    /// <summary>Clock for the timestamps the store writes itself (created, joined, requested, invited).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How long a connection waits for another process's lock before failing with SQLITE_BUSY.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Test hook run on the writer connection after its pragmas (e.g. cap the page count to simulate a full disk).</summary>
    internal Action<SqliteConnection>? ConfigureWriter { get; init; }
}
