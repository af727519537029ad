// An event sink that keeps every event in a list, for assertions.
using P2PChat.Peer.Client;
using Xunit;

namespace P2PChat.Peer.Tests.Fakes;

public sealed class ListEventSink : IEventSink
{
    private readonly List<ClientEvent> _events = [];

    public IReadOnlyList<ClientEvent> Events { get { lock (_events) return [.. _events]; } }

    public void Publish(ClientEvent e) { lock (_events) _events.Add(e); }

    public T Single<T>() where T : ClientEvent => Assert.Single(Events.OfType<T>());
}
