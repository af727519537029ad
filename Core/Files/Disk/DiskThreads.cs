// Runs the receiver's checkpoints (an fsync of up to 64 MiB, then the bitmap) on a thread of their own, not the pool's.
using System.Collections.Concurrent;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// Why: a checkpoint's fsync blocks its thread for up to 0.1 s (64 MiB on this machine's disk). On the thread pool (as
/// until session 10) it held one of the two workers a 2-core machine starts with, and the chat's continuations (the PM
/// handling, the transport's stream readers) queued behind the disk. Here it runs on one dedicated background thread,
/// shared by every transfer of the process and started on first use; work is queued in order (callers bound
/// themselves: one checkpoint per receiving file at a time). The O_DIRECT chunk writes stay on the pool
/// (<see cref="PartialFileWriter"/>): they are short, and their completion resumes the receive loop at once there.
/// </summary>
public static class DiskThreads
{
    /// <summary>fsyncs of one disk run one after the other anyway.</summary>
    public const int ThreadCount = 1;

    private static readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> Queue = Start();

    /// <summary>Runs <paramref name="work"/> on a disk thread; the task completes (or faults) when it has run.</summary>
    public static Task Run(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((work, done));
        return done.Task;
    }

    private static BlockingCollection<(Action, TaskCompletionSource)> Start()
    {
        var queue = new BlockingCollection<(Action, TaskCompletionSource)>();
        for (var i = 0; i < ThreadCount; i++)
            new Thread(() => Serve(queue)) { IsBackground = true, Name = "p2pchat disk " + i }.Start();
        return queue;
    }

    private static void Serve(BlockingCollection<(Action Work, TaskCompletionSource Done)> queue)
    {
        foreach (var (work, done) in queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }
}
