// A store decorator for tests: forwards every call to the real store except the named method, which throws.
using System.Reflection;
using P2PChat.Rendezvous.Storage;

namespace P2PChat.Rendezvous.Tests;

public class FailingStore : DispatchProxy
{
    private IRendezvousStore _inner = null!;
    private string _failing = "";
    private Exception _error = null!;

    /// <summary>A store that behaves like <paramref name="inner"/> except that <paramref name="method"/> fails with <paramref name="error"/>.</summary>
    public static IRendezvousStore Wrap(IRendezvousStore inner, string method, Exception error)
    {
        var proxy = Create<IRendezvousStore, FailingStore>();
        var self = (FailingStore)(object)proxy;
        (self._inner, self._failing, self._error) = (inner, method, error);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        if (method!.Name == _failing) return method.ReturnType.IsGenericType
            ? typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [_error])
            : Task.FromException(_error);
        return method.Invoke(_inner, args);
    }
}
