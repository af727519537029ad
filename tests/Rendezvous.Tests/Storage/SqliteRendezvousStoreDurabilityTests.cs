// Tests of crash safety: committed writes are on disk when a call returns; killed or failing transactions leave no partial rows; a full disk corrupts nothing.
using P2PChat.TestSupport;
using System.Collections;
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreDurabilityTests : StoreTestBase
{
    private readonly TempDirectory _crashCopy = new();

    public override async ValueTask DisposeAsync()
    {
        _crashCopy.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public void Journal_is_wal_and_schema_is_current()
    {
        using var raw = RawSqlite.Open(Folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);

        Assert.Equal("wal", raw.Scalar("PRAGMA journal_mode"));
        Assert.Equal((long)P2PChat.Rendezvous.Storage.Migrations.SchemaMigrations.All.Count, raw.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public async Task An_accepted_message_is_visible_to_an_independent_connection_and_in_the_files_on_disk()
    {
        var alice = await RegisterAsync("alice");
        var bob = await RegisterAsync("bob");

        var result = await Store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, Start, 1, "hi"u8.ToArray()), Ct);

        // The store stays open (no checkpoint, no close): what is on disk now is what a crash would leave.
        using (var raw = RawSqlite.Open(Folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly))
        {
            Assert.Equal(1L, raw.Count($"SELECT COUNT(*) FROM offline_messages WHERE id = {result.Id}"));
        }
        RawSqlite.SnapshotFiles(Folder.Combine(SqliteStoreOptions.DatabaseFileName), _crashCopy.Path);
        await using var recovered = await SqliteRendezvousStore.OpenAsync(_crashCopy.Path, Options, Ct);
        var fetched = Assert.Single(await recovered.FetchOfflineMessagesAsync(bob, 0, 10, Ct));
        Assert.Equal("hi"u8.ToArray(), fetched.Payload.ToArray());
        Assert.Equal(Start, fetched.SentAt);
    }

    [Fact]
    public async Task A_process_killed_mid_transaction_leaves_no_partial_rows()
    {
        var alice = await RegisterAsync("alice");
        await Store.AddOneTimePrekeysAsync(alice, [new byte[] { 1 }, new byte[] { 2 }], Ct);
        // 2,000 × 4 KiB overflows SQLite's page cache, so uncommitted pages are already in the WAL
        // when the files are copied in the middle of the transaction.
        var prekeys = new InterruptingList(count: 2_000, interruptAt: 1_500, size: 4_096, onInterrupt: () => RawSqlite.SnapshotFiles(Folder.Combine(SqliteStoreOptions.DatabaseFileName), _crashCopy.Path));

        await Assert.ThrowsAsync<InterruptedException>(() => Store.AddOneTimePrekeysAsync(alice, prekeys, Ct));

        Assert.Equal(2, await Store.CountOneTimePrekeysAsync(alice, Ct)); // the live store rolled back
        Assert.True(new FileInfo(Path.Combine(_crashCopy.Path, "rendezvous.db-wal")).Length > 1_000_000); // uncommitted pages were on disk
        await using (var recovered = await SqliteRendezvousStore.OpenAsync(_crashCopy.Path, Options, Ct))
        {
            Assert.Equal(2, await recovered.CountOneTimePrekeysAsync(alice, Ct)); // the "killed" copy never saw the rows
            Assert.Equal(3, await recovered.AddOneTimePrekeysAsync(alice, [new byte[] { 3 }], Ct));
        }
        using var raw = RawSqlite.Open(Path.Combine(_crashCopy.Path, "rendezvous.db"), SqliteOpenMode.ReadOnly);
        Assert.Equal("ok", raw.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_full_disk_fails_the_write_and_keeps_everything_committed_before()
    {
        await Store.DisposeAsync();
        // Cap the file a few pages above its current size: SQLite then fails with SQLITE_FULL exactly as on a full disk.
        Store = await SqliteRendezvousStore.OpenAsync(Folder.Path, Options with
        {
            MaxOfflineMessagesPerRecipient = null,
            ConfigureWriter = connection =>
            {
                var pages = (long)connection.Scalar("PRAGMA page_count")!;
                connection.Execute($"PRAGMA max_page_count = {pages + 64}");
            },
        }, Ct);
        var alice = await RegisterAsync("alice");
        var bob = await RegisterAsync("bob");
        var payload = new byte[NewOfflineMessage.MaxPayloadBytes];

        var stored = new List<long>();
        SqliteException? full = null;
        for (var i = 0; i < 50 && full is null; i++)
        {
            try
            {
                stored.Add((await Store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, Start, 0, payload), Ct)).Id!.Value);
            }
            catch (SqliteException e)
            {
                full = e;
            }
        }

        Assert.NotNull(full);
        Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL
        Assert.NotEmpty(stored);
        Assert.Equal(stored, (await Store.FetchOfflineMessagesAsync(bob, 0, 100, Ct)).Select(m => m.Id));
        Assert.Equal(stored.Count, await Store.DeleteOfflineMessagesAsync(bob, stored, Ct)); // still writable once space frees

        await ReopenAsync();
        Assert.Equal(0, await Store.CountOfflineMessagesAsync(bob, Ct));
        Assert.Equal(AppendOutcome.Stored, (await Store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, Start, 0, payload), Ct)).Outcome);
        using var raw = RawSqlite.Open(Folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);
        Assert.Equal("ok", raw.Scalar("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task A_write_that_fails_midway_is_rolled_back_entirely()
    {
        var alice = await RegisterAsync("alice");
        var prekeys = new InterruptingList(count: 10, interruptAt: 5, size: 16, onInterrupt: () => { });

        await Assert.ThrowsAsync<InterruptedException>(() => Store.AddOneTimePrekeysAsync(alice, prekeys, Ct));

        Assert.Equal(0, await Store.CountOneTimePrekeysAsync(alice, Ct));
        Assert.Equal(1, await Store.AddOneTimePrekeysAsync(alice, [new byte[] { 7 }], Ct));
    }

    private sealed class InterruptedException : Exception;

    /// <summary>A list of prekeys whose enumeration (which the store runs inside its write transaction)
    /// calls <paramref name="onInterrupt"/> and then throws when it reaches <paramref name="interruptAt"/>.</summary>
    private sealed class InterruptingList(int count, int interruptAt, int size, Action onInterrupt) : IReadOnlyList<ReadOnlyMemory<byte>>
    {
        public int Count => count;

        public ReadOnlyMemory<byte> this[int index] => Enumerable.Repeat((byte)index, size).ToArray();

        public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                if (i == interruptAt)
                {
                    onInterrupt();
                    throw new InterruptedException();
                }
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
