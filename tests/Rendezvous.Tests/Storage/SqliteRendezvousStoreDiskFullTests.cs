// Disk-full recovery on a real small file system: after SQLite fails (and rolls back on its own) with SQLITE_FULL,
// freeing space must make every kind of write work again without a restart.
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class SqliteRendezvousStoreDiskFullTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_full_disk_is_freed_writes_and_acknowledgements_work_again_without_a_restart()
    {
        using var disk = SmallFileSystem.Mount(4L << 20, "the disk-full recovery test");
        // Ballast takes most of the disk; deleting it later is "an administrator freed space".
        var ballast = disk.Combine("ballast");
        await File.WriteAllBytesAsync(ballast, new byte[2 << 20], Ct);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var options = new SqliteStoreOptions { TimeProvider = clock, MaxOfflineMessagesPerRecipient = null };
        var store = await SqliteRendezvousStore.OpenAsync(disk.Combine("data"), options, Ct);
        try
        {
            var alice = (await store.RegisterAccountAsync(new NewAccount("alice", StoreTestBase.TestPassword), Ct)).Account!.Tag;
            var bob = (await store.RegisterAccountAsync(new NewAccount("bob", StoreTestBase.TestPassword), Ct)).Account!.Tag;
            var payload = new byte[NewOfflineMessage.MaxPayloadBytes];
            Random.Shared.NextBytes(payload); // incompressible, whatever the file system
            var stored = new List<long>();
            SqliteException? full = null;
            for (var i = 0; i < 200 && full is null; i++)
            {
                try { stored.Add((await store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, clock.GetUtcNow(), 0, payload), Ct)).Id!.Value); }
                catch (SqliteException e) { full = e; }
            }
            Assert.NotNull(full);
            Assert.Equal(13, full.SqliteErrorCode); // SQLITE_FULL: the real "disk is full"
            Assert.NotEmpty(stored);

            // A second write while the disk is still full fails the same honest way, never as a nested transaction.
            var again = await Assert.ThrowsAsync<SqliteException>(() =>
                store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, clock.GetUtcNow(), 0, payload), Ct));
            Assert.Equal(13, again.SqliteErrorCode);

            File.Delete(ballast);

            Assert.Equal(stored, (await store.FetchOfflineMessagesAsync(bob, 0, 1_000, Ct)).Select(m => m.Id));
            Assert.Equal(stored.Count, await store.DeleteOfflineMessagesAsync(bob, stored, Ct)); // the acknowledgements
            Assert.Equal(AppendOutcome.Stored, (await store.AppendOfflineMessageAsync(new NewOfflineMessage(alice, bob, bob, clock.GetUtcNow(), 0, payload), Ct)).Outcome);
            Assert.Equal(RegistrationOutcome.Registered, (await store.RegisterAccountAsync(new NewAccount("carol", StoreTestBase.TestPassword), Ct)).Outcome);
            Assert.Equal(1, await store.CountOfflineMessagesAsync(bob, Ct));
        }
        finally
        {
            await store.DisposeAsync();
        }
        using var raw = RawSqlite.Open(disk.Combine("data", SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);
        Assert.Equal("ok", raw.Scalar("PRAGMA integrity_check"));
    }
}
