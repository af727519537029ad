// ThreadPoolHop: a method that awaits it goes on on a pool thread, whichever thread it was called on.
using P2PChat.Rendezvous.Storage;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Storage;

public sealed class ThreadPoolHopTests
{
    [Fact]
    public async Task On_a_pool_thread_it_is_already_complete_and_elsewhere_it_is_not()
    {
        await Task.Run(() => Assert.True(new ThreadPoolHop().IsCompleted), TestContext.Current.CancellationToken);
        bool? onDedicated = null;
        var thread = new Thread(() => onDedicated = new ThreadPoolHop().IsCompleted);
        thread.Start();
        thread.Join();
        Assert.False(onDedicated);
    }

    [Fact]
    public async Task A_method_called_on_a_dedicated_thread_continues_on_the_pool_even_when_the_pool_is_quick()
    {
        // The hop's continuation may run before the dedicated thread returns from the call: what follows the await
        // must still be on the pool, every time (an async helper around Task.Yield failed this about 1 call in 20).
        var offPool = 0;
        for (var call = 0; call < 500; call++)
        {
            var started = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() => started.SetResult(HopThenRecordAsync()));
            thread.Start();
            await await started.Task;
            thread.Join();
        }
        Assert.Equal(0, offPool);

        async Task HopThenRecordAsync()
        {
            await new ThreadPoolHop();
            if (!Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref offPool);
        }
    }
}
