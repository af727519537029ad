// Reads and writes protocol frames over any duplex Stream (TLS on TCP in practice): the one read loop per connection.
using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Core.Framing;

/// <summary>
/// Turns a stream into frames with <see cref="FrameCodec"/>. Reads are single-consumer (one read loop);
/// sends may come from any thread and are serialised, each frame written whole and flushed.
/// Memory: an idle connection holds no buffer of its own. Reads are zero-byte reads first (the pipe rents its
/// buffer only once the stream says data is there; <see cref="System.Net.Security.SslStream"/> likewise releases its
/// own read buffer while waiting), and every batch of frames is encoded into an array rented from the shared pool
/// and returned right after the write.
/// </summary>
public sealed class FrameConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly FrameDirection _incoming;
    private readonly int _maxFrameSize;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private const int FirstSendBufferSize = 4096;
    private int _disposed;

    /// <param name="stream">the duplex stream; disposed with this object.</param>
    /// <param name="incoming">which way the frames this side reads travel (a server reads <see cref="FrameDirection.ToServer"/>).</param>
    public FrameConnection(Stream stream, FrameDirection incoming, int maxFrameSize = FrameCodec.DefaultMaxFrameSize)
    {
        _stream = stream;
        _incoming = incoming;
        _maxFrameSize = maxFrameSize;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true));
    }

    public int MaxFrameSize => _maxFrameSize;

    /// <summary>The next frame, or null when the peer closed the stream cleanly between frames.</summary>
    /// <exception cref="ProtocolException">a bad frame, or the stream ended in the middle of one.</exception>
    /// <remarks>A read that waits for the network reuses a pooled state machine instead of allocating one per frame; the
    /// result must be awaited once (as every caller does).</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Frame?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            Frame? frame;
            try
            {
                if (FrameCodec.TryRead(ref buffer, _incoming, _maxFrameSize, out frame))
                {
                    _reader.AdvanceTo(buffer.Start);
                    return frame;
                }
            }
            catch (ProtocolException)
            {
                _reader.AdvanceTo(result.Buffer.Start);
                throw;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (buffer.IsEmpty) return null;
                throw new ProtocolException(StatusCode.MalformedFrame, "connection closed in the middle of a frame");
            }
        }
    }

    /// <summary>True when input already read from the stream waits in the buffer (more frames may follow at once
    /// without waiting for the network). Only between reads, on the read loop.</summary>
    public bool HasBufferedInput
    {
        get
        {
            try
            {
                if (!_reader.TryRead(out var result)) return false;
                var has = !result.Buffer.IsEmpty;
                _reader.AdvanceTo(result.Buffer.Start);
                return has;
            }
            catch (InvalidOperationException) { return false; }
        }
    }

    /// <summary>Writes and flushes one frame.</summary>
    public ValueTask SendAsync(Frame frame, CancellationToken ct) => SendAsync([frame], ct);

    /// <summary>Writes several frames back to back and flushes once. A write that waits for the socket reuses a pooled
    /// state machine; the result must be awaited once.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(IReadOnlyCollection<Frame> frames, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        // Rented for this batch only and returned after the write: no allocation per frame, no buffer kept while idle.
        using var buffer = new PooledBufferWriter(FirstSendBufferSize);
        try
        {
            foreach (var f in frames) FrameCodec.Write(buffer, f, _maxFrameSize);
            await _stream.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            await _stream.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _sendLock.Dispose();
    }
}
