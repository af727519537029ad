// One room stream on a contact link: length-prefixed frames in, a queue of frames out, and the end of either.
using System.Buffers.Binary;
using System.Threading.Channels;
using P2PChat.Core.Links;
using P2PChat.Core.Rooms;
using P2PChat.Core.Transport;

namespace P2PChat.Peer.Rooms;

/// <summary>
/// Frames are <c>length u32 BE | kind u8 | body</c> (docs/rooms.md §6). Writes go through a queue drained by one
/// task, so the room's actor never waits on the network; reads are handed to <paramref name="onFrame"/> one by one.
/// A malformed frame ends the stream (a Bye with the reason is sent first) and is reported through onEnd.
/// </summary>
public sealed class RoomConnection
{
    private readonly IReliableStream _stream;
    private readonly Channel<byte[]> _out = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private int _ended;

    public RoomConnection(IContactLink link, IReliableStream stream, CancellationToken cancellationToken)
    {
        Link = link;
        _stream = stream;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, link.Closed);
        _ = Task.Run(WriteLoopAsync);
    }

    public IContactLink Link { get; }
    public bool Ended => Volatile.Read(ref _ended) != 0;

    public void Send(RoomFrame frame)
    {
        if (Ended) return;
        var body = frame.Encode();
        var framed = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)body.Length);
        body.CopyTo(framed, 4);
        _out.Writer.TryWrite(framed);
    }

    /// <summary>Reads frames until the stream ends; returns why it ended (null: the peer closed it cleanly).</summary>
    public async Task<string?> ReadLoopAsync(Func<RoomConnection, RoomFrame, Task> onFrame)
    {
        var header = new byte[4];
        try
        {
            while (true)
            {
                if (!await FillAsync(header).ConfigureAwait(false)) return null;
                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (length is 0 or > RoomFrame.MaxFrame) return Refuse($"room frame of {length} bytes");
                var body = new byte[length];
                if (!await FillAsync(body).ConfigureAwait(false)) return "the stream ended inside a frame";
                RoomFrame frame;
                try { frame = RoomFrame.Decode(body); }
                catch (RoomProtocolException e) { return Refuse(e.Message); }
                await onFrame(this, frame).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException or ObjectDisposedException)
        {
            return "the link was lost";
        }
        finally { End(); }
    }

    private string Refuse(string reason)
    {
        Send(new RoomFrame.Bye(1, reason));
        return reason;
    }

    private async Task<bool> FillAsync(byte[] buffer) =>
        await _stream.ReadFullyAsync(buffer, _stop.Token).ConfigureAwait(false) == buffer.Length;

    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var framed in _out.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                await _stream.WriteAsync(framed, _stop.Token).ConfigureAwait(false);
            _stream.CompleteWrites();
        }
        catch (Exception e) when (e is TransportException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
    }

    /// <summary>Stops both directions once what is queued was written.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0) _out.Writer.TryComplete();
    }

    /// <summary>Drops the stream at once.</summary>
    public void Abort()
    {
        End();
        try { _stop.Cancel(); } catch (ObjectDisposedException) { }
    }
}
