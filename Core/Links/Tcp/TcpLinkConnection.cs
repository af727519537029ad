// One TCP connection of a TcpLinkSocket: writes the preamble and queued frames, reads and checks frames, closes on a bad one.
using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace P2PChat.Core.Links.Tcp;

/// <summary>
/// States: Open (both loops running) → Closed, once, with a reason: the peer closed or reset it, a malformed preamble or
/// frame (<see cref="TcpLinkFrameCodec"/>), a timeout (<see cref="TcpLinkSocket"/>'s sweep), or the owner's dispose.
/// Closing one connection touches no other. Sends never block: framed datagrams go to a queue bounded in bytes
/// (<see cref="TcpLinkOptions.MaxQueuedBytes"/>), drained by the write loop, which coalesces what is queued into one write.
/// </summary>
internal sealed class TcpLinkConnection
{
    private readonly Socket _socket;
    private readonly TcpLinkSocket _owner;
    private readonly Channel<byte[]> _out = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly int _maxQueuedBytes;
    private long _queuedBytes;
    private int _closed;

    public TcpLinkConnection(Socket socket, IPEndPoint remote, TcpLinkSocket owner, int maxQueuedBytes, long now)
    {
        _socket = socket;
        _owner = owner;
        _maxQueuedBytes = maxQueuedBytes;
        Remote = remote;
        OpenedAt = LastActivity = now;
        socket.NoDelay = true;   // checks and transport packets are small and latency-bound; the transport paces itself
    }

    public IPEndPoint Remote { get; }
    public long OpenedAt { get; }
    /// <summary>Timestamp of the last frame in or out (read without the owner's lock; a stale value only delays a sweep).</summary>
    public long LastActivity { get; private set; }
    public bool PreambleReceived { get; private set; }
    public bool IsClosed => Volatile.Read(ref _closed) != 0;
    /// <summary>Datagrams dropped because the write queue was full.</summary>
    public long Dropped;

    public void Start()
    {
        _ = Task.Run(WriteLoopAsync);
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>Queues one datagram; false (dropped) when the queue is full or the connection closed.</summary>
    public bool Enqueue(ReadOnlySpan<byte> datagram, long now)
    {
        if (IsClosed) return false;
        var frame = new byte[TcpLinkFrameCodec.LengthPrefix + datagram.Length];
        TcpLinkFrameCodec.WriteFrame(datagram, frame);
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _maxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            Interlocked.Increment(ref Dropped);
            return false;
        }
        LastActivity = now;
        return _out.Writer.TryWrite(frame);
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            TcpLinkFrameCodec.WritePreamble(buffer);
            await _socket.SendAsync(buffer.AsMemory(0, TcpLinkFrameCodec.PreambleLength), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            while (await _out.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                int length = 0;
                while (length < buffer.Length - TcpLinkFrameCodec.MaxFrame && _out.Reader.TryRead(out var frame))
                {
                    frame.CopyTo(buffer.AsSpan(length));
                    length += frame.Length;
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                }
                int sent = 0;
                while (sent < length)
                    sent += await _socket.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { Close($"write failed: {e.Message}"); }
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(new NetworkStream(_socket, ownsSocket: false), new StreamPipeReaderOptions(leaveOpen: false));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                var seq = new SequenceReader<byte>(buffer);
                var status = TcpLinkReadStatus.Read;
                string? error = null;
                bool delivered = false;
                while (status == TcpLinkReadStatus.Read)
                {
                    if (!PreambleReceived)
                    {
                        status = TcpLinkFrameCodec.TryReadPreamble(ref seq, out error);
                        if (status == TcpLinkReadStatus.Read) PreambleReceived = true;
                        continue;
                    }
                    status = TcpLinkFrameCodec.TryReadFrame(ref seq, out var datagram, out error);
                    if (status != TcpLinkReadStatus.Read) break;
                    LastActivity = _owner.Now;
                    _owner.Deliver(datagram, Remote);
                    delivered = true;
                }
                if (delivered) _owner.BatchEnd();
                if (status == TcpLinkReadStatus.Malformed)
                {
                    Close(error ?? "malformed frame");
                    return;
                }
                reader.AdvanceTo(seq.Position, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Close("closed by the peer");
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { Close($"read failed: {e.Message}"); }
        finally { await reader.CompleteAsync().ConfigureAwait(false); }
    }

    /// <summary>Closes the connection once (a reset, so a bad peer learns nothing more) and tells the owner why.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _out.Writer.TryComplete();
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { }
        try { _socket.LingerState = new LingerOption(true, 0); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
        _socket.Dispose();
        _owner.OnClosed(this, reason);
    }
}
