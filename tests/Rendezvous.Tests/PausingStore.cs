// A store decorator for tests: once armed, the next call of the named method waits (before or after the real call), after telling the test, until the test lets it go on.
using System.Reflection;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Tests;

public class PausingStore : DispatchProxy
{
    private IRendezvousStore _inner = null!;
    private string _paused = "";
    private bool _afterCall;
    private int _armed;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>From now on, the next call of the method waits (calls before are not paused).</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>Completes when the paused call has arrived (and is waiting); when pausing after the call, once the
    /// real store has done its work (a write is committed by then).</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the waiting call go on to the real store (or, pausing after the call, back to its caller).</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>A store that behaves like <paramref name="inner"/>, except that the first call of <paramref name="method"/> after
    /// <see cref="Arm"/> waits for <see cref="Release"/>: before it reaches <paramref name="inner"/>, or, with
    /// <paramref name="afterCall"/>, after <paramref name="inner"/> has completed it and before its result is returned.</summary>
    public static (IRendezvousStore Store, PausingStore Control) Wrap(IRendezvousStore inner, string method, bool afterCall = false)
    {
        var proxy = Create<IRendezvousStore, PausingStore>();
        var self = (PausingStore)(object)proxy;
        (self._inner, self._paused, self._afterCall) = (inner, method, afterCall);
        return (proxy, self);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name != _paused || Interlocked.CompareExchange(ref _armed, 0, 1) != 1) return method.Invoke(_inner, args);
        // Task<T> of the real call, with the pause around it: built by a generic helper of the same T.
        var resultType = method.ReturnType.GetGenericArguments()[0];
        return typeof(PausingStore).GetMethod(nameof(Paused), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(resultType).Invoke(this, [method, args]);
    }

    private async Task<T> Paused<T>(MethodInfo method, object?[]? args)
    {
        if (!_afterCall)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(20));
            return await (Task<T>)method.Invoke(_inner, args)!;
        }
        var result = await (Task<T>)method.Invoke(_inner, args)!;
        _reached.TrySetResult();
        await _released.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return result;
    }
}
