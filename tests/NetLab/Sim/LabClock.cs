// Drives a simulated scenario: advances the manual clock in small steps until the awaited work is done.
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.NetLab.Sim;

public static class LabClock
{
    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="task"/> completes, failing the
    /// test if simulated time passes <paramref name="limit"/>. Deliveries and protocol timers run inside Advance on
    /// this thread, so no real waiting is involved.
    /// </summary>
    public static T Run<T>(ManualTimeProvider time, Task<T> task, TimeSpan limit, TimeSpan? step = null)
    {
        var start = time.GetUtcNow();
        while (!task.IsCompleted)
        {
            if (time.GetUtcNow() - start > limit) Assert.Fail($"still running after {limit} of simulated time");
            time.Advance(step ?? TimeSpan.FromMilliseconds(5));
        }
        return task.GetAwaiter().GetResult();
    }

    public static void Run(ManualTimeProvider time, Task task, TimeSpan limit, TimeSpan? step = null) =>
        Run(time, task.ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskContinuationOptions.ExecuteSynchronously), limit, step);
}
