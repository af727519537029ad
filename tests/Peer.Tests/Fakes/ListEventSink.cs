// An event sink that keeps every event in a list, and lets a test wait for the event it expects.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Fakes;

public sealed class ListEventSink : IEventSink
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(10);
    private readonly List<ClientEvent> _events = [];
    private readonly List<(Func<ClientEvent, bool> Match, TaskCompletionSource<ClientEvent> Done)> _waiters = [];

    public IReadOnlyList<ClientEvent> Events { get { lock (_events) return [.. _events]; } }

    public void Publish(ClientEvent e)
    {
        lock (_events)
        {
            _events.Add(e);
            foreach (var w in _waiters.Where(w => w.Match(e)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult(e);
            }
        }
    }

    public T Single<T>() where T : ClientEvent => Assert.Single(Events.OfType<T>());

    /// <summary>The first event (already published or still to come) of type T matching <paramref name="match"/>.</summary>
    public Task<T> WaitForAsync<T>(Func<T, bool>? match = null) where T : ClientEvent => WaitForFromAsync(0, match);

    /// <summary>The first event of type T matching <paramref name="match"/> at position <paramref name="from"/> or later
    /// (already published or still to come); <paramref name="cancel"/> stops waiting without failing the test.</summary>
    public async Task<T> WaitForFromAsync<T>(int from, Func<T, bool>? match = null, CancellationToken cancel = default) where T : ClientEvent
    {
        bool Matches(ClientEvent e) => e is T t && (match?.Invoke(t) ?? true);
        TaskCompletionSource<ClientEvent> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_events)
        {
            if (_events.Skip(from).FirstOrDefault(Matches) is T found) return found;
            _waiters.Add((Matches, done));
        }
        using var both = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, cancel);
        try { return (T)await done.Task.WaitAsync(SafetyNet, both.Token); }
        catch (TimeoutException) { throw new TimeoutException($"no {typeof(T).Name} within {SafetyNet}; got: {string.Join(", ", Events)}"); }
        finally { lock (_events) _waiters.RemoveAll(w => w.Done == done); }
    }

    /// <summary>How many events have been published so far (a position for <see cref="WaitForFromAsync{T}"/>).</summary>
    public int Count { get { lock (_events) return _events.Count; } }
}
