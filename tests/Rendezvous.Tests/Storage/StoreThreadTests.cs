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

    /// <summary>Calls the store from a dedicated thread this many times: the move to the pool used to be skipped in
    /// about 1 call in 20 (a race between the pool and the caller's await), so one call proved nothing.</summary>
    private const int Calls = 200;

    [Fact]
    public async Task Reads_and_writes_called_from_a_dedicated_thread_run_on_the_thread_pool()
    {
        await using var db = await SqliteDatabase.OpenAsync(Path.Combine(_folder.Path, "t.db"), new SqliteStoreOptions(),
            [new SchemaMigration(1, "test table", "CREATE TABLE t (x INTEGER NOT NULL);")], Ct);
        var writesOffPool = 0;
        var readsOffPool = 0;
        for (var call = 0; call < Calls; call++)
        {
            // Each from its own thread that, like a socket event thread, is not a pool thread and calls the store directly.
            await OnDedicatedThreadAsync(() => db.WriteAsync((c, tx) =>
            {
                if (!Thread.CurrentThread.IsThreadPoolThread) writesOffPool++;
                return c.Command("INSERT INTO t (x) VALUES (1)", tx).ExecuteAsync(Ct);
            }, Ct));
            await OnDedicatedThreadAsync(() => db.ReadAsync(c =>
            {
                if (!Thread.CurrentThread.IsThreadPoolThread) readsOffPool++;
                return c.Command("SELECT count(*) FROM t").ScalarInt64Async(Ct);
            }, Ct));
        }
        Assert.Equal((0, 0), (writesOffPool, readsOffPool));
        Assert.Equal(Calls, await db.ReadAsync(c => c.Command("SELECT count(*) FROM t").ScalarInt64Async(Ct), Ct));
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
