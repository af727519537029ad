// The TCP path: many streams and datagrams as length-prefixed frames over one connected Socket, same API as UDP.
using P2PChat.Core.Bytes;
using System.Net;
using System.Net.Sockets;
using P2PChat.Core.Transport.Wire;

namespace P2PChat.Core.Transport.Tcp;

/// <summary>
/// States: Open → (CloseAsync: CLOSE sent after queued frames, socket shut down) Closed, or → (Abort / peer CLOSE with
/// error / socket error) Closed with an error. Frames are written one at a time under a send lock, so a large write
/// is cut into frames of at most 64 KiB and other streams' frames interleave between them. Once protection is on
/// (TcpTransportConnection.Protection.cs) each of those frames goes out as one SEALED frame; a frame that breaks the
/// protection rules, like any other protocol violation, closes the socket at once.
/// </summary>
public sealed partial class TcpTransportConnection : IReliableConnection
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
    private string? _errorReason;
    private byte[] _sealBuffer = [];
    private readonly byte[] _sendHeader = new byte[TcpFrameCodec.MaxHeaderLength]; // used under the send lock

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
        // A CLOSE frame only if no other frame is half written (the peer then just sees the socket end).
        try
        {
            if (_sendLock.Wait(0))
            {
                try { _socket.Send(FrameBytes(TcpFrameCodec.Close, 0, [1])); }
                finally { _sendLock.Release(); }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
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
        new(_error == TransportError.None ? TransportError.ClosedLocally : _error,
            $"the TCP connection is closed ({_error}{(_errorReason is null ? "" : ": " + _errorReason)})");

    internal async ValueTask SendFrameAsync(byte type, long streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var header = _sendHeader;
            // The caller's token is honoured only between whole frames: a frame cut short, or a sealed frame numbered
            // but never sent, would break the byte stream for every later frame. Disposal (_stop) still ends a send.
            var socketToken = _stop.Token;
            for (int offset = 0; offset < payload.Length || (offset == 0 && payload.IsEmpty); offset += WriteSlice)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var slice = payload.Slice(offset, Math.Min(WriteSlice, payload.Length - offset));
                if (TrySeal(type, streamId, slice.Span, out int sealedLength))
                    await _socket.SendAsync(_sealBuffer.AsMemory(0, sealedLength), SocketFlags.None, socketToken).ConfigureAwait(false);
                else
                {
                    int headerLength = TcpFrameCodec.WriteHeader(header, type, streamId, slice.Length);
                    await _socket.SendAsync(header.AsMemory(0, headerLength), SocketFlags.None, socketToken).ConfigureAwait(false);
                    if (!slice.IsEmpty) await _socket.SendAsync(slice, SocketFlags.None, socketToken).ConfigureAwait(false);
                }
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

    /// <summary>Seals one frame into the send buffer if protection is on; called under the send lock.</summary>
    private bool TrySeal(byte type, long streamId, ReadOnlySpan<byte> payload, out int length)
    {
        lock (Gate)
        {
            length = 0;
            if (!_protection.SealsOutgoing) return false;
            int needed = _protection.MaxSealedLength(payload.Length);
            if (_sealBuffer.Length < needed) _sealBuffer = new byte[needed];
            length = _protection.Seal(_sealBuffer, type, streamId, payload);
            return true;
        }
    }

    /// <summary>One whole frame as bytes, sealed if protection is on; called under the send lock.</summary>
    private byte[] FrameBytes(byte type, long streamId, ReadOnlySpan<byte> payload)
    {
        if (TrySeal(type, streamId, payload, out int length)) return _sealBuffer[..length];
        var frame = new byte[TcpFrameCodec.MaxHeaderLength + payload.Length];
        int header = TcpFrameCodec.WriteHeader(frame, type, streamId, payload.Length);
        payload.CopyTo(frame.AsSpan(header));
        return frame[..(header + payload.Length)];
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
                    if (!OnWireFrame(buffer.AsSpan(start, header + length), type, id, header))
                    {
                        CloseSocketAfterViolation();
                        return;
                    }
                    start += header + length;
                }
                if (TcpFrameCodec.TryReadHeader(buffer.AsSpan(start, end - start), out _, out _, out _, out _, out bool bad) is false && bad)
                {
                    lock (Gate) Shutdown(TransportError.ProtocolViolation, "a malformed frame header");
                    CloseSocketAfterViolation();
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

    /// <summary>A frame as read from the socket: SEALED ones are opened first, plain ones checked against the rules.</summary>
    private bool OnWireFrame(Span<byte> frame, byte type, long id, int headerLength)
    {
        lock (Gate)
        {
            if (type != TcpFrameCodec.Sealed)
            {
                if (_protection.AcceptsPlain) return OnFrame(type, id, frame[headerLength..]);
                Shutdown(TransportError.ProtectionViolation, "a plain frame after the switch to protected frames");
                return false;
            }
            if (_protection.TryOpen(frame, headerLength, id, out byte innerType, out long innerId, out Range payload) is { } failure)
            {
                Shutdown(TransportError.ProtectionViolation, failure);
                return false;
            }
            return OnFrame(innerType, innerId, frame[payload]);
        }
    }

    /// <summary>After a violation this side is done: the peer learns it from the socket's end.</summary>
    private void CloseSocketAfterViolation()
    {
        bool violated;
        lock (Gate) violated = _error is not (TransportError.None or TransportError.AbortedByPeer or TransportError.AbortedLocally);
        if (violated) _socket.Dispose();
    }

    /// <summary>Applies one received (plain or opened) frame; false ends the read loop.</summary>
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
                        Shutdown(TransportError.FlowControlViolation, "the peer overran its stream credit");
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

    private void Shutdown(TransportError error, string? reason = null)
    {
        if (!_open) return;
        _open = false;
        _error = error;
        _errorReason = reason;
        foreach (var stream in _streams.Values) stream.WakeAll();
        _streamArrived.Set();
        _datagramArrived.Set();
    }
}
