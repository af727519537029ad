// The single ordered stream of client events: the client and the command layer publish, one front end reads.
using System.Threading.Channels;

namespace P2PChat.Peer.Events;

/// <summary>Where events go. Publishing never blocks.</summary>
public interface IEventSink
{
    void Publish(ClientEvent e);
}

/// <summary>An unbounded, ordered queue of events with one reader (the headless writer or the TUI).</summary>
public sealed class EventStream : IEventSink
{
    private readonly Channel<ClientEvent> _channel = Channel.CreateUnbounded<ClientEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public void Publish(ClientEvent e) => _channel.Writer.TryWrite(e);

    /// <summary>No more events will be published; the reader finishes once it has read everything.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public IAsyncEnumerable<ClientEvent> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
