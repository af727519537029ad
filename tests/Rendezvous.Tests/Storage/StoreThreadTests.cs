// Store work never runs on a thread outside the thread pool (a socket event thread, with inline completions).
using P2PChat.Rendezvous.Storage;
using P2PChat.Rendezvous.Storage.Migrations;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class StoreThreadTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly TempDirectory _folder = new("p2pchat-store-thread");

    [Fact]
    public async Task Reads_and_writes_called_from_a_dedicated_thread_run_on_the_thread_pool()
    {
        await using var db = await SqliteDatabase.OpenAsync(Path.Combine(_folder.Path, "t.db"), new SqliteStoreOptions(),
            [new SchemaMigration(1, "test table", "CREATE TABLE t (x INTEGER NOT NULL);")], Ct);
        bool? writeOnPool = null, readOnPool = null;
        // Each from its own thread that, like a socket event thread, is not a pool thread and calls the store directly.
        await OnDedicatedThreadAsync(() => db.WriteAsync((c, tx) =>
        {
            writeOnPool = Thread.CurrentThread.IsThreadPoolThread;
            return c.Command("INSERT INTO t (x) VALUES (1)", tx).ExecuteAsync(Ct);
        }, Ct));
        await OnDedicatedThreadAsync(() => db.ReadAsync(c =>
        {
            readOnPool = Thread.CurrentThread.IsThreadPoolThread;
            return c.Command("SELECT count(*) FROM t").ScalarInt64Async(Ct);
        }, Ct));
        Assert.True(writeOnPool);
        Assert.True(readOnPool);
    }

    private static async Task OnDedicatedThreadAsync(Func<Task> call)
    {
        var started = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => started.SetResult(call()));
        thread.Start();
        await await started.Task;
        thread.Join();
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
