// An awaitable that moves the awaiting method onto a thread-pool thread unless it already runs on one (store calls, TLS handshakes).
using System.Runtime.CompilerServices;

namespace P2PChat.Rendezvous.Storage;

/// <summary>
/// <c>await new ThreadPoolHop();</c> continues the awaiting method on a thread-pool thread; on a pool thread it
/// costs nothing (<see cref="IsCompleted"/> is true and the method goes on synchronously).
/// <para>It must be awaited directly by the method that has to move. An <c>async</c> helper that awaits
/// <c>Task.Yield()</c> moves only itself: the pool can finish the helper before its caller's <c>await</c> checks
/// whether the helper's task is complete, and the caller then goes on synchronously on the thread it wanted to
/// leave (this let store work run on a dedicated thread in about 1 call in 20; StoreThreadTests). Here the check
/// is the caller's own await, so the only way on is the queued continuation. Unlike <c>Task.Yield()</c> it
/// ignores any SynchronizationContext or TaskScheduler: the continuation always goes to the pool.</para>
/// </summary>
internal readonly struct ThreadPoolHop : ICriticalNotifyCompletion
{
    public ThreadPoolHop GetAwaiter() => this;

    public bool IsCompleted => Thread.CurrentThread.IsThreadPoolThread;

    public void GetResult() { }

    public void OnCompleted(Action continuation) =>
        ThreadPool.QueueUserWorkItem(static run => run(), continuation, preferLocal: false);

    public void UnsafeOnCompleted(Action continuation) =>
        ThreadPool.UnsafeQueueUserWorkItem(static run => run(), continuation, preferLocal: false);
}
