// A re-armable wake-up for async waiters of state guarded by a lock (stream readable/writable, accept queues).
namespace P2PChat.Core.Transport;

/// <summary>
/// Usage: under the lock, check the condition; if unmet take <see cref="WaitTask"/>; release the lock; await it.
/// Whoever changes the state calls <see cref="Set"/> (under the same lock), which wakes all current waiters.
/// Continuations run asynchronously, so waking never runs user code under the lock.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _current = NewSource();
    private bool _awaited;

    public Task WaitTask
    {
        get
        {
            _awaited = true;
            return _current.Task;
        }
    }

    public void Set()
    {
        if (!_awaited) return;
        _awaited = false;
        var previous = _current;
        _current = NewSource();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
