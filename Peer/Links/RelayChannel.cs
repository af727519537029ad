// Link packets through the rendezvous server: RELAY frames out (queued, never blocking the transport), RELAY frames in.
using System.Threading.Channels;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Links;

/// <summary>
/// Outgoing packets wait in a bounded queue (datagram semantics: when it is full the packet is dropped and the
/// transport resends) drained by one task that writes RELAY frames on the TLS connection; while the server is
/// unreachable they are dropped. Incoming RELAY frames are handed to the registered path socket of their sender;
/// packets from anyone else are dropped. The server drops what exceeds the relay budget and says so (STATUS 50).
/// </summary>
public sealed class RelayChannel : IAsyncDisposable
{
    public const int QueueLimit = 1024;
    private readonly Func<Frame, CancellationToken, ValueTask> _send;
    private readonly Channel<RelaySend> _out = Channel.CreateBounded<RelaySend>(
        new BoundedChannelOptions(QueueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<Tag, LinkPathSocket> _paths = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public RelayChannel(Func<Frame, CancellationToken, ValueTask> send)
    {
        _send = send;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Packets dropped because the queue was full or the server unreachable.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    public void Send(Tag to, ReadOnlyMemory<byte> packet)
    {
        if (!_out.Writer.TryWrite(new RelaySend(to, packet))) Interlocked.Increment(ref _dropped);
    }

    public void Register(Tag peer, LinkPathSocket path)
    {
        lock (_gate) _paths[peer] = path;
    }

    public void Unregister(Tag peer, LinkPathSocket path)
    {
        lock (_gate) if (_paths.TryGetValue(peer, out var p) && p == path) _paths.Remove(peer);
    }

    public void OnRelayed(RelayDeliver frame)
    {
        LinkPathSocket? path;
        lock (_gate) path = _paths.GetValueOrDefault(frame.From);
        path?.OnRelayed(frame.Packet.ToArray());
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var frame in _out.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try { await _send(frame, _stop.Token).ConfigureAwait(false); }
                catch (CommandFailedException) { Interlocked.Increment(ref _dropped); }
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _out.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        _stop.Dispose();
    }
}
