// Which feature handles incoming contact-link streams of each payload kind: the registry behind IContactLinks.OnStream.
using P2PChat.Core.Payloads;

namespace P2PChat.Core.Links;

/// <summary>One handler per kind; registering a kind twice is a programming error. Thread-safe.</summary>
public sealed class ContactStreamRouter
{
    private readonly Dictionary<PayloadKind, ContactStreamHandler> _handlers = [];
    private readonly Lock _gate = new();

    public IDisposable Register(PayloadKind kind, ContactStreamHandler handler)
    {
        lock (_gate)
        {
            if (!_handlers.TryAdd(kind, handler)) throw new InvalidOperationException($"a handler for {kind} streams is already registered");
        }
        return new Registration(this, kind, handler);
    }

    public ContactStreamHandler? Find(PayloadKind kind)
    {
        lock (_gate) return _handlers.GetValueOrDefault(kind);
    }

    private void Remove(PayloadKind kind, ContactStreamHandler handler)
    {
        lock (_gate)
        {
            if (_handlers.TryGetValue(kind, out var current) && current == handler) _handlers.Remove(kind);
        }
    }

    private sealed class Registration(ContactStreamRouter router, PayloadKind kind, ContactStreamHandler handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) router.Remove(kind, handler);
        }
    }
}
