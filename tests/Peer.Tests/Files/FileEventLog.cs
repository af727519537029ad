// Test support: the events of one side of a file transfer test, and a wait for the one a test expects.
using P2PChat.Peer.Events;
using Xunit;

namespace P2PChat.Peer.Tests.Files;

public sealed class FileEventLog : IEventSink
{
    /// <summary>Only a safety net against a hung test, never a timing assertion: transfers on a loaded machine take a while.</summary>
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(120);
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

    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null) where T : ClientEvent
    {
        bool Matches(ClientEvent e) => e is T t && (match?.Invoke(t) ?? true);
        TaskCompletionSource<ClientEvent> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_events)
        {
            if (_events.FirstOrDefault(Matches) is T found) return found;
            _waiters.Add((Matches, done));
        }
        try { return (T)await done.Task.WaitAsync(SafetyNet, TestContext.Current.CancellationToken); }
        catch (TimeoutException) { throw new TimeoutException($"no {typeof(T).Name}; got: {string.Join(", ", Events.TakeLast(30))}"); }
    }
}
