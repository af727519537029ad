// The Stream a session reads and writes once the handshake is done: our own TLS 1.3 record layer over the socket.
using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace P2PChat.Rendezvous.Tls;

/// <summary>
/// TLS 1.3 application traffic over a connected socket with keys taken from the handshake (<see cref="TlsSessionKeys"/>),
/// no OpenSSL object involved. Reads: a zero-byte read holds no buffer (it awaits the socket's zero-byte receive); a
/// real read rents one 32 KiB buffer, receives as much as the socket has, opens every whole record in it in place and
/// hands out their content, and returns the buffer as soon as nothing is left in it. Alerts and KeyUpdates from the
/// peer are handled here (close_notify ends the stream; a KeyUpdate moves the read key and, when it asks for ours,
/// ours is sent before our next record). Writes: the data is sealed into records of at most 2^14 bytes in one rented
/// buffer and sent with one send. Anything the peer may not send, or that fails authentication, gets the fatal alert
/// RFC 8446 names and fails the stream (an IOException to the session, which closes only this connection).
/// Single reader; writes must not overlap (the session's frame connection serialises them). Does not own the socket.
/// </summary>
public sealed class TlsRecordStream : Stream
{
    private const int BufferSize = 32 * 1024;   // room for one whole record of the largest size plus what follows it
    private readonly Socket _socket;
    private readonly RecordProtection _in;
    private readonly RecordProtection _out;
    private readonly IdleCipherSweeper? _sweeper;
    // The read buffer: [_plainStart, _plainEnd) content ready for the reader, then [_cipherStart, _cipherEnd) bytes
    // received and not yet opened; _plainEnd ≤ _cipherStart always (a record's content is shorter than the record).
    private byte[]? _buffer;
    private int _plainStart, _plainEnd, _cipherStart, _cipherEnd;
    private bool _peerClosed;
    private int _keyUpdateRequested;
    private int _writing;
    private int _failed;
    private int _disposed;

    /// <param name="received">bytes the handshake read after the client's Finished (the first records of data).</param>
    /// <param name="sweeper">drops this stream's cipher contexts while it is idle (none: they stay for its life).</param>
    public TlsRecordStream(Socket socket, TlsSessionKeys keys, ReadOnlySpan<byte> received, IdleCipherSweeper? sweeper = null)
    {
        _socket = socket;
        _in = new RecordProtection(keys.Suite, keys.TakeClientSecret());
        _out = new RecordProtection(keys.Suite, keys.TakeServerSecret(), keys.ServerRecordsSent);
        _sweeper = sweeper;
        sweeper?.Add(this);
        if (!received.IsEmpty)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(BufferSize, received.Length + RecordCodec.MaxRecord));
            received.CopyTo(_buffer);
            _cipherEnd = received.Length;
        }
    }

    public TlsCipherSuite Suite => _in.Suite;

    /// <summary>True while a read buffer is held (for tests: an idle stream holds none).</summary>
    internal bool HoldsBuffer => _buffer is not null;

    /// <summary>Whether each direction holds a cipher context now (for tests).</summary>
    internal (bool Out, bool In) HoldsCiphers => (_out.HoldsCipher, _in.HoldsCipher);

    /// <summary>Drops the cipher context of each direction that carried no record since the last call (the sweeper's).</summary>
    internal int ReleaseIdleCiphers()
    {
        var released = 0;
        foreach (var direction in (ReadOnlySpan<RecordProtection>)[_in, _out])
            if (!direction.TakeUsed() && direction.HoldsCipher)
            {
                direction.ReleaseCipher();
                released++;
            }
        return released;
    }

    /// <summary>Our records so far under our current key, and the peer's under theirs (for tests).</summary>
    internal (ulong Sent, ulong Received) Sequences => (_out.Sequence, _in.Sequence);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Flush() { }
    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Content of the peer's records; 0 at the end (close_notify or the socket closed between records), and
    /// for a zero-byte read once data is there.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]   // no allocation per read that has to wait
    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct = default)
    {
        while (true)
        {
            if (_plainEnd > _plainStart)
            {
                if (destination.IsEmpty) return 0;
                var n = Math.Min(destination.Length, _plainEnd - _plainStart);
                _buffer.AsSpan(_plainStart, n).CopyTo(destination.Span);
                _plainStart += n;
                ReleaseBufferIfEmpty();
                return n;
            }
            if (_peerClosed) return 0;
            ThrowIfFailed();
            if (_cipherEnd > _cipherStart)
            {
                bool progress;
                try { progress = OpenRecords(); }
                catch (TlsAlertException ex)
                {
                    await FailAsync(ex.Alert, ct).ConfigureAwait(false);
                    throw new TlsAlertException(ex.Alert, sent: true, ex.Message);
                }
                if (progress) continue;
            }
            if (destination.IsEmpty)
            {
                // Idle: nothing held while the socket has nothing for us.
                ReleaseBufferIfEmpty();
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
                return 0;
            }
            var room = RoomToReceive();
            var received = await _socket.ReceiveAsync(room, SocketFlags.None, ct).ConfigureAwait(false);
            if (received == 0)
            {
                if (_cipherEnd > _cipherStart) throw new IOException("the connection closed in the middle of a TLS record");
                _peerClosed = true;
                ReleaseBufferIfEmpty();
                return 0;
            }
            _cipherEnd += received;
        }
    }

    /// <summary>Seals <paramref name="data"/> into records (≤ 2^14 bytes each) and sends them with one send.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        if (data.IsEmpty) return;
        if (Interlocked.CompareExchange(ref _writing, 1, 0) != 0) throw new IOException("the TLS connection is failing (or a write overlapped another)");
        byte[]? wire = null;
        try
        {
            ThrowIfFailed();
            var records = (data.Length + RecordCodec.MaxPlaintext - 1) / RecordCodec.MaxPlaintext;
            // Room for the records and up to two KeyUpdates (one the peer asked for, one at our key's record limit).
            wire = ArrayPool<byte>.Shared.Rent(data.Length + records * RecordCodec.SealedLength(0) + 2 * RecordCodec.SealedLength(PostHandshakeMessage.KeyUpdateLength));
            var length = SealAll(data.Span, wire);
            await SendAllAsync(_socket, wire.AsMemory(0, length), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // A record cut short cannot be resumed: the stream is done for writing.
            Volatile.Write(ref _failed, 1);
            if (ex is OperationCanceledException) throw;
            throw new IOException(ex.Message, ex);
        }
        finally
        {
            if (wire is not null) ArrayPool<byte>.Shared.Return(wire);
            Volatile.Write(ref _writing, 0);
        }
    }

    private int SealAll(ReadOnlySpan<byte> data, Span<byte> wire)
    {
        var length = 0;
        // The peer asked for our KeyUpdate: it goes before our next data (RFC 8446 §4.6.3).
        if (Interlocked.Exchange(ref _keyUpdateRequested, 0) != 0) length += SealKeyUpdate(wire);
        while (!data.IsEmpty)
        {
            if (_out.Sequence >= TlsCipherSuites.RecordsPerKey) length += SealKeyUpdate(wire[length..]);
            var chunk = data[..Math.Min(data.Length, RecordCodec.MaxPlaintext)];
            length += _out.Seal(TlsContentType.ApplicationData, chunk, wire[length..]);
            data = data[chunk.Length..];
        }
        return length;
    }

    private int SealKeyUpdate(Span<byte> wire)
    {
        Span<byte> message = stackalloc byte[PostHandshakeMessage.KeyUpdateLength];
        PostHandshakeMessage.WriteKeyUpdate(requestUpdate: false, message);
        var n = _out.Seal(TlsContentType.Handshake, message, wire);
        _out.Update();
        return n;
    }

    /// <summary>Sends all of <paramref name="bytes"/> (also the handshake's flights: <see cref="TlsServerHandshake"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    internal static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Opens every whole record buffered; true when that gave the reader something (content or the end).</summary>
    private bool OpenRecords()
    {
        var buffer = _buffer!;
        var progress = false;
        while (true)
        {
            var input = buffer.AsSpan(_cipherStart, _cipherEnd - _cipherStart);
            // The type first: garbage is refused at its first byte rather than waited on for the length it seems to give.
            if (input.IsEmpty) return progress;
            if (input[0] != (byte)TlsContentType.ApplicationData)
                throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, $"an unprotected record of type {input[0]} after the handshake");
            var length = RecordCodec.CompleteLength(input);
            if (length == 0) return progress;
            var record = input[..length];
            var (type, contentLength) = _in.Open(record);
            _cipherStart += length;
            var content = record.Slice(RecordCodec.HeaderLength, contentLength);
            switch (type)
            {
                case TlsContentType.ApplicationData:
                    content.CopyTo(buffer.AsSpan(_plainEnd));   // may overlap: moves down
                    _plainEnd += contentLength;
                    progress |= contentLength > 0;
                    break;
                case TlsContentType.Alert:
                    if (contentLength != 2) throw new TlsAlertException(TlsAlert.DecodeError, false, $"an alert of {contentLength} bytes");
                    var description = (TlsAlert)content[1];
                    if (description == TlsAlert.UserCanceled) break;   // a warning; close_notify follows
                    if (description != TlsAlert.CloseNotify)
                    {
                        Volatile.Write(ref _failed, 1);
                        throw new IOException($"the client ended TLS with alert {(byte)description} ({description})");
                    }
                    _peerClosed = true;
                    return true;
                case TlsContentType.Handshake:
                    var requested = PostHandshakeMessage.ParseKeyUpdate(content);
                    _in.Update();
                    if (requested) Volatile.Write(ref _keyUpdateRequested, 1);
                    break;
                default:
                    throw new TlsAlertException(TlsAlert.UnexpectedMessage, false, $"a protected record of type {(byte)type} after the handshake");
            }
        }
    }

    /// <summary>Room after the unopened bytes (moved to the front first; the reader has taken all content by now).</summary>
    private Memory<byte> RoomToReceive()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            _plainStart = _plainEnd = _cipherStart = _cipherEnd = 0;
        }
        else if (_cipherStart > 0)
        {
            var pending = _cipherEnd - _cipherStart;
            _buffer.AsSpan(_cipherStart, pending).CopyTo(_buffer);
            _plainStart = _plainEnd = _cipherStart = 0;
            _cipherEnd = pending;
        }
        return _buffer.AsMemory(_cipherEnd);
    }

    private void ReleaseBufferIfEmpty()
    {
        if (_buffer is null || _plainEnd > _plainStart || _cipherEnd > _cipherStart) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _plainStart = _plainEnd = _cipherStart = _cipherEnd = 0;
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failed) != 0) throw new IOException("the TLS connection has failed");
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
    }

    /// <summary>Sends the fatal <paramref name="alert"/> (unless a write is using our key right now) and fails the stream.</summary>
    private async ValueTask FailAsync(TlsAlert alert, CancellationToken ct)
    {
        Volatile.Write(ref _failed, 1);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) != 0) return;
        try
        {
            var wire = new byte[RecordCodec.SealedLength(2)];
            _out.Seal(TlsContentType.Alert, [2, (byte)alert], wire);   // level fatal
            await SendAllAsync(_socket, wire, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally { Volatile.Write(ref _writing, 0); }
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // The session has stopped reading and writing by now; a buffer still held goes to the GC, not back to the pool
        // (never hand a buffer back that something might still touch).
        _buffer = null;
        _sweeper?.Remove(this);
        _in.Dispose();
        _out.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
