// Group commit: writes that queue while the writer is busy share one transaction (one fsync), each in its own savepoint.
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Storage.Migrations;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class GroupCommitTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _folder = new("p2pchat-group-commit");

    private async Task<SqliteDatabase> OpenAsync()
    {
        var db = await SqliteDatabase.OpenAsync(Path.Combine(_folder.Path, "t.db"), new SqliteStoreOptions(),
            [new SchemaMigration(1, "test table", "CREATE TABLE t (x INTEGER NOT NULL UNIQUE);")], Ct);
        return db;
    }

    private static Task<int> InsertAsync(SqliteDatabase db, int x) =>
        db.WriteAsync((c, tx) => c.Command("INSERT INTO t (x) VALUES ($x)", tx).With("$x", x).ExecuteAsync(Ct), Ct);

    private static Task<long?> CountAsync(SqliteDatabase db) =>
        db.ReadAsync(c => c.Command("SELECT count(*) FROM t").ScalarInt64Async(Ct), Ct);

    [Fact]
    public async Task Writes_queued_behind_a_busy_writer_commit_together_and_one_that_fails_is_rolled_back_alone()
    {
        await using var db = await OpenAsync();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first write holds the writer until the others are queued behind it.
        var first = db.WriteAsync(async (c, tx) =>
        {
            holding.SetResult();
            await release.Task;
            return await c.Command("INSERT INTO t (x) VALUES (0)", tx).ExecuteAsync(Ct);
        }, Ct);
        await holding.Task;
        var commitsBefore = db.Writes.Commits;
        var queued = Enumerable.Range(1, 20).Select(i => InsertAsync(db, i)).ToList();
        var failing = db.WriteAsync<int>(async (c, tx) =>
        {
            await c.Command("INSERT INTO t (x) VALUES (1000)", tx).ExecuteAsync(Ct);
            throw new InvalidOperationException("this write fails after its insert");
        }, Ct);
        var duplicate = InsertAsync(db, 5);   // violates UNIQUE: fails alone
        release.SetResult();

        await first;
        Assert.All(await Task.WhenAll(queued), n => Assert.Equal(1, n));
        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => duplicate);
        Assert.Equal(21, await CountAsync(db));
        // The first write's transaction, then one for everything that queued behind it.
        Assert.Equal(commitsBefore + 2, db.Writes.Commits);
        Assert.Equal(0, await db.ReadAsync(c => c.Command("SELECT count(*) FROM t WHERE x = 1000").ScalarInt64Async(Ct), Ct));
    }

    [Fact]
    public async Task Grouped_writes_survive_a_reopen()
    {
        await using (var db = await OpenAsync())
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => InsertAsync(db, i), Ct)));
        await using var again = await OpenAsync();
        Assert.Equal(200, await CountAsync(again));
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
        await Task.CompletedTask;
    }
}
