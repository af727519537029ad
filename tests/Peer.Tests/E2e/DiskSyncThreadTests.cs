// The deferred-flush thread: flushes run in the order queued, on one thread of their own, including after it went idle.
using P2PChat.Peer.E2e;
using Xunit;

namespace P2PChat.Peer.Tests.E2e;

public sealed class DiskSyncThreadTests
{
    [Fact]
    public async Task Flushes_run_in_order_on_one_background_thread_each_time_it_is_woken()
    {
        var ran = new List<(int Index, int Thread)>();
        for (int round = 0; round < 3; round++)   // each round lets the thread run dry and wait again
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            for (int i = 0; i < 50; i++)
            {
                int index = round * 50 + i;
                DiskSyncThread.Queue(() => { lock (ran) ran.Add((index, Environment.CurrentManagedThreadId)); });
            }
            DiskSyncThread.Queue(() => done.SetResult());
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        lock (ran)
        {
            Assert.Equal(Enumerable.Range(0, 150), ran.Select(r => r.Index));
            Assert.Single(ran.Select(r => r.Thread).Distinct());
            Assert.NotEqual(Environment.CurrentManagedThreadId, ran[0].Thread);
        }
    }
}
