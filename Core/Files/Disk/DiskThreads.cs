// Runs the receiver's blocking disk calls (O_DIRECT writes, checkpoint fsyncs) on threads of their own, not the pool's.
using System.Collections.Concurrent;

namespace P2PChat.Core.Files.Disk;

/// <summary>
/// Why: an O_DIRECT <c>pwrite</c> of 1 MiB blocks its thread for 1.4–3 ms (more under load) and a checkpoint's fsync for
/// up to 0.1 s. On the thread pool (as until session 10) two such writes plus a checkpoint could hold every worker a
/// 2-core machine starts with, and the chat's continuations (the PM handling, the transport's stream readers) queued
/// behind the disk. Here they run on <see cref="ThreadCount"/> dedicated background threads, shared by every transfer
/// of the process and started on first use; the work is queued in order, unbounded (callers bound themselves:
/// <see cref="PartialFileWriter.Depth"/> writes and one checkpoint per receiving file).
/// </summary>
public static class DiskThreads
{
    /// <summary>Two O_DIRECT writes in flight and one checkpoint at once, without either waiting for the other.</summary>
    public const int ThreadCount = PartialFileWriter.Depth + 1;

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
