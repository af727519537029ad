// Tests of schema migrations: from empty, from v1 to v2 with data kept, refusing newer files, failed steps rolled back.
using P2PChat.TestSupport;
using Microsoft.Data.Sqlite;
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Storage.Migrations;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage.Migrations;

public sealed class SchemaMigratorTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _folder.Dispose();

    private static async Task MigrateAsync(SqliteConnection connection, params SchemaMigration[] steps) =>
        await new SchemaMigrator(steps).MigrateAsync(connection, "test.db", Ct);

    [Fact]
    public async Task Empty_database_is_migrated_to_the_latest_version()
    {
        await (await SqliteRendezvousStore.OpenAsync(_folder.Path, cancellationToken: Ct)).DisposeAsync();

        using var raw = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);
        Assert.Equal((long)SchemaMigrations.All.Count, raw.Scalar("PRAGMA user_version"));
        var tables = new[] { "accounts", "friend_requests", "friendships", "ignores", "channels", "channel_members", "channel_invites", "offline_messages", "signed_prekeys", "one_time_prekeys" };
        foreach (var table in tables)
        {
            Assert.Equal(1L, raw.Count($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public async Task Version_1_database_is_migrated_to_2_keeping_its_data()
    {
        using (var v1 = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName)))
        {
            await MigrateAsync(v1, Migration001InitialSchema.Step);
            Assert.Equal(1L, v1.Scalar("PRAGMA user_version"));
            v1.Execute("""
                INSERT INTO accounts (username, password_algorithm, password_iterations, password_salt, password_hash, nickname, created_at, is_admin)
                VALUES ('old', 1, 1000, x'00', x'00', 'Old Timer', 0, 1);
                """);
        }

        await using (var store = await SqliteRendezvousStore.OpenAsync(_folder.Path, cancellationToken: Ct))
        {
            var old = await store.FindAccountByUsernameAsync("old", Ct);
            Assert.Equal(0x8000_0001u, old!.Tag);
            Assert.Equal("Old Timer", old.Profile.Nickname);
            Assert.Null(old.IdentityKey);
            Assert.True(await store.SetIdentityKeyAsync(old.Tag, new byte[] { 9 }, Ct));
            Assert.Equal(1, await store.AddOneTimePrekeysAsync(old.Tag, [new byte[] { 1 }], Ct));
        }

        using var raw = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);
        Assert.Equal((long)SchemaMigrations.All.Count, raw.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public async Task Newer_schema_is_refused_and_the_file_is_left_alone()
    {
        using (var future = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName)))
        {
            future.Execute("CREATE TABLE from_the_future (x); PRAGMA user_version = 99;");
        }

        var error = await Assert.ThrowsAsync<SchemaTooNewException>(() => SqliteRendezvousStore.OpenAsync(_folder.Path, cancellationToken: Ct));

        Assert.Equal(99, error.DatabaseVersion);
        Assert.Equal(SchemaMigrations.All.Count, error.KnownVersion);
        Assert.Contains("newer server", error.Message);
        using var raw = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName), SqliteOpenMode.ReadOnly);
        Assert.Equal(99L, raw.Scalar("PRAGMA user_version"));
        Assert.Equal("delete", raw.Scalar("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_failing_step_leaves_the_previous_version_and_no_partial_schema()
    {
        var broken = new SchemaMigration(2, "Broken", "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);");
        using var connection = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName));

        await Assert.ThrowsAsync<SqliteException>(() => MigrateAsync(connection, Migration001InitialSchema.Step, broken));

        Assert.Equal(1L, connection.Scalar("PRAGMA user_version"));
        Assert.Equal(0L, connection.Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half_done'"));
    }

    [Fact]
    public async Task Migrating_twice_is_a_no_op()
    {
        using var connection = RawSqlite.Open(_folder.Combine(SqliteStoreOptions.DatabaseFileName));

        await MigrateAsync(connection, [.. SchemaMigrations.All]);
        await MigrateAsync(connection, [.. SchemaMigrations.All]);

        Assert.Equal((long)SchemaMigrations.All.Count, connection.Scalar("PRAGMA user_version"));
    }

    [Fact]
    public void Steps_must_be_numbered_from_one_without_gaps()
    {
        Assert.Throws<ArgumentException>(() => new SchemaMigrator([Migration002EndToEndKeys.Step]));
    }
}
