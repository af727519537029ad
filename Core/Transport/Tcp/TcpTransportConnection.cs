// The TCP path: many streams and datagrams as length-prefixed frames over one connected Socket, same API as UDP.
using System.Net;
using System.Net.Sockets;

namespace P2PChat.Core.Transport;

/// <summary>
/// States: Open → (CloseAsync: CLOSE sent after queued frames, socket shut down) Closed, or → (Abort / peer CLOSE with
/// error / socket error) Closed with an error. Frames are written one at a time under a send lock, so a large write
/// is cut into frames of at most 64 KiB and other streams' frames interleave between them.
/// </summary>
public sealed class TcpTransportConnection : IReliableConnection
{
    private const int WriteSlice = 64 * 1024;
    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<long, TcpStream> _streams = [];
    private readonly Queue<TcpStream> _incomingStreams = new();
    private readonly AsyncSignal _streamArrived = new();
    private readonly Queue<byte[]> _datagrams = new();
    private readonly AsyncSignal _datagramArrived = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readLoop;
    private long _nextStreamId;
    private bool _open = true;
    private TransportError _error;

    /// <param name="socket">A connected stream socket; the connection owns it.</param>
    public TcpTransportConnection(Socket socket, ConnectionRole role)
    {
        _socket = socket;
        _socket.NoDelay = true;
        Role = role;
        RemoteEndPoint = socket.RemoteEndPoint!;
        _nextStreamId = role == ConnectionRole.Client ? 0 : 1;
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public static async Task<TcpTransportConnection> ConnectAsync(EndPoint remote, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new TcpTransportConnection(socket, ConnectionRole.Client);
    }

    internal object Gate { get; } = new();
    public ConnectionRole Role { get; }
    public EndPoint RemoteEndPoint { get; }
    public int MaxDatagramPayload => 65536;

    public IReliableStream OpenStream()
    {
        lock (Gate)
        {
            ThrowIfCannotSend();
            var stream = new TcpStream(this, _nextStreamId);
            _nextStreamId += 2;
            _streams.Add(stream.Id, stream);
            return stream;
        }
    }

    public async ValueTask<IReliableStream> AcceptStreamAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (_incomingStreams.TryDequeue(out var stream)) return stream;
                if (!_open) throw Closed();
                wait = _streamArrived.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public bool SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > MaxDatagramPayload) return false;
        lock (Gate) if (!_open) return false;
        SendFrameInBackground(TcpFrameCodec.Datagram, 0, datagram.ToArray());
        return true;
    }

    public async ValueTask<ReadOnlyMemory<byte>> ReceiveDatagramAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (_datagrams.TryDequeue(out var datagram)) return datagram;
                if (!_open) throw Closed();
                wait = _datagramArrived.WaitTask;
            }
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        lock (Gate) if (!_open) return;
        await SendFrameAsync(TcpFrameCodec.Close, 0, new byte[] { 0 }, cancellationToken).ConfigureAwait(false);
        lock (Gate) Shutdown(TransportError.None);
        try { _socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { } catch (ObjectDisposedException) { }
    }

    public void Abort()
    {
        lock (Gate)
        {
            if (!_open) return;
            Shutdown(TransportError.AbortedLocally);
        }
        try { _socket.Send([TcpFrameCodec.Close, 0, 1, 1]); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        _stop.Cancel();
        _socket.Dispose();
        try { await _readLoop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
        _sendLock.Dispose();
    }

    internal void ThrowIfCannotSend()
    {
        if (!_open) throw Closed();
    }

    internal bool ReceivingEnded()
    {
        if (_open) return false;
        if (_error == TransportError.None) return true;
        throw Closed();
    }

    private TransportException Closed() =>
        new(_error == TransportError.None ? TransportError.ClosedLocally : _error, $"the TCP connection is closed ({_error})");

    internal async ValueTask SendFrameAsync(byte type, long streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var header = new byte[TcpFrameCodec.MaxHeaderLength];
            for (int offset = 0; offset < payload.Length || (offset == 0 && payload.IsEmpty); offset += WriteSlice)
            {
                var slice = payload.Slice(offset, Math.Min(WriteSlice, payload.Length - offset));
                int headerLength = TcpFrameCodec.WriteHeader(header, type, streamId, slice.Length);
                await _socket.SendAsync(header.AsMemory(0, headerLength), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (!slice.IsEmpty) await _socket.SendAsync(slice, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (payload.IsEmpty) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            lock (Gate) Shutdown(TransportError.AbortedByPeer);
            throw new TransportException(TransportError.AbortedByPeer, "the TCP connection failed: " + e.Message);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    internal ValueTask SendWindowAsync(long streamId, long credit, CancellationToken cancellationToken)
    {
        var payload = new byte[8];
        int length = VarInt.Write(payload, (ulong)credit);
        return SendFrameAsync(TcpFrameCodec.Window, streamId, payload.AsMemory(0, length), cancellationToken);
    }

    internal void SendFrameInBackground(byte type, long streamId, byte[]? payload = null) =>
        _ = SendQuietlyAsync(type, streamId, payload ?? []);

    private async Task SendQuietlyAsync(byte type, long streamId, byte[] payload)
    {
        try { await SendFrameAsync(type, streamId, payload, _stop.Token).ConfigureAwait(false); }
        catch (Exception e) when (e is TransportException or OperationCanceledException) { }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[TcpFrameCodec.MaxPayload + TcpFrameCodec.MaxHeaderLength];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0) break;
                end += read;
                while (TcpFrameCodec.TryReadHeader(buffer.AsSpan(start, end - start), out byte type, out long id, out int length, out int header, out bool malformed)
                       && end - start >= header + length)
                {
                    if (!OnFrame(type, id, buffer.AsSpan(start + header, length))) return;
                    start += header + length;
                }
                if (TcpFrameCodec.TryReadHeader(buffer.AsSpan(start, end - start), out _, out _, out _, out _, out bool bad) is false && bad)
                {
                    lock (Gate) Shutdown(TransportError.ProtocolViolation);
                    return;
                }
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            lock (Gate) Shutdown(_open ? TransportError.AbortedByPeer : _error);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            lock (Gate) Shutdown(_open ? TransportError.AbortedByPeer : _error);
        }
    }

    /// <summary>Applies one received frame; false ends the read loop.</summary>
    private bool OnFrame(byte type, long id, ReadOnlySpan<byte> payload)
    {
        lock (Gate)
        {
            switch (type)
            {
                case TcpFrameCodec.Stream or TcpFrameCodec.Fin or TcpFrameCodec.Window:
                    var stream = StreamFor(id);
                    if (stream is null) return true;
                    if (type == TcpFrameCodec.Stream && !stream.OnData(payload))
                    {
                        Shutdown(TransportError.FlowControlViolation);
                        return false;
                    }
                    if (type == TcpFrameCodec.Fin) stream.OnFin();
                    if (type == TcpFrameCodec.Window && VarInt.TryRead(payload, out ulong credit, out _)) stream.OnWindow((long)credit);
                    return true;
                case TcpFrameCodec.Datagram:
                    _datagrams.Enqueue(payload.ToArray());
                    _datagramArrived.Set();
                    return true;
                default:
                    VarInt.TryRead(payload, out ulong code, out _);
                    Shutdown(code == 0 ? TransportError.None : TransportError.AbortedByPeer);
                    return false;
            }
        }
    }

    private TcpStream? StreamFor(long id)
    {
        if (_streams.TryGetValue(id, out var stream)) return stream;
        bool peerOpened = (id & 1) == (Role == ConnectionRole.Client ? 1 : 0);
        if (!peerOpened) return null;
        stream = new TcpStream(this, id);
        _streams.Add(id, stream);
        _incomingStreams.Enqueue(stream);
        _streamArrived.Set();
        return stream;
    }

    private void Shutdown(TransportError error)
    {
        if (!_open) return;
        _open = false;
        _error = error;
        foreach (var stream in _streams.Values) stream.WakeAll();
        _streamArrived.Set();
        _datagramArrived.Set();
    }
}
