// Reads and writes whole file-transfer frames on a contact-link stream (the only I/O over TransferFrameCodec).
using System.Buffers;
using P2PChat.Core.Files.Disk;
using P2PChat.Core.Transport;

namespace P2PChat.Core.Files.Sessions;

/// <summary>
/// One reader's buffer, grown to the largest body seen (at most one chunk frame), so reading chunks allocates nothing.
/// A message returned by <see cref="ReadAsync"/> may point into that buffer: use it before the next read.
/// <see cref="ReadDetachedAsync"/> instead reads a chunk's body into a page-aligned buffer of its own, so the caller may
/// read on while it still works on the chunk, and write it to the disk from there.
/// </summary>
public sealed class TransferStream(IReliableStream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);
    private readonly byte[] _header = new byte[Math.Max(TransferFrameCodec.HeaderLength, TransferFrameCodec.ChunkHeaderLength)];

    public IReliableStream Stream => stream;

    private long _bytesRead;

    /// <summary>Bytes read off the stream so far, counted as they arrive rather than per frame, so a stall watchdog
    /// tells a slow link still moving a large chunk (1 MiB takes 10 s at 100 KB/s) from one that stopped. A stream that
    /// places bytes straight into a waiting read (<see cref="IPlacingReadStream"/>) counts those as they come too.</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead) + (_placing?.PlacedInPendingRead ?? 0);

    /// <summary>The stream, when it can fill a whole frame body in one read that takes the bytes straight from its
    /// packets (the UDP transport's): one copy less per byte and one wake-up per frame instead of one per packet.</summary>
    private readonly IPlacingReadStream? _placing = stream as IPlacingReadStream;

    /// <summary>The next message, or null when the peer ended the stream between frames.</summary>
    /// <exception cref="FileProtocolException">a malformed frame, or the stream ended inside one.</exception>
    public async ValueTask<TransferMessage?> ReadAsync(CancellationToken ct) =>
        await ReadHeaderAsync(ct).ConfigureAwait(false) is { } header ? await ReadBodyAsync(header.Type, header.Length, ct).ConfigureAwait(false) : null;

    /// <summary>Like <see cref="ReadAsync(CancellationToken)"/>, but a Chunk's body goes into a buffer of
    /// <paramref name="pool"/> (<c>Buffer</c>, with one reference that the caller releases), page-aligned so that the
    /// verified chunk can be written from there; other messages come as usual with a null <c>Buffer</c>.</summary>
    public async ValueTask<(TransferMessage? Message, ChunkBuffer? Buffer)> ReadDetachedAsync(ChunkBufferPool pool, CancellationToken ct)
    {
        if (await ReadHeaderAsync(ct).ConfigureAwait(false) is not var (type, length)) return (null, null);
        if (type != TransferMessageType.Chunk) return (await ReadBodyAsync(type, length, ct).ConfigureAwait(false), null);
        // The chunk header apart, so the data gets a buffer of exactly the offer's chunk size.
        if (length <= TransferFrameCodec.ChunkHeaderLength) throw new FileProtocolException("a chunk frame without data");
        var chunkHeader = _header.AsMemory(0, TransferFrameCodec.ChunkHeaderLength); // the frame header is parsed already
        await FillAsync(chunkHeader, allowEnd: false, ct).ConfigureAwait(false);
        var (entry, index) = TransferFrameCodec.ReadChunkHeader(chunkHeader.Span);
        var dataLength = length - TransferFrameCodec.ChunkHeaderLength;
        var buffer = pool.Rent(dataLength);
        try
        {
            var data = buffer.Memory[..dataLength];
            await FillAsync(data, allowEnd: false, ct).ConfigureAwait(false);
            return (new ChunkMessage(entry, index, data), buffer);
        }
        catch
        {
            buffer.Release();
            throw;
        }
    }

    /// <summary>The next frame's type and body length, or null when the peer ended the stream between frames.</summary>
    private async ValueTask<(TransferMessageType Type, int Length)?> ReadHeaderAsync(CancellationToken ct)
    {
        if (!await FillAsync(_header.AsMemory(0, TransferFrameCodec.HeaderLength), allowEnd: true, ct).ConfigureAwait(false)) return null;
        var length = TransferFrameCodec.ReadHeader(_header.AsSpan(0, TransferFrameCodec.HeaderLength), out var type);
        return (type, length);
    }

    /// <summary>A frame's body into the reader's own buffer, decoded.</summary>
    private async ValueTask<TransferMessage> ReadBodyAsync(TransferMessageType type, int length, CancellationToken ct)
    {
        if (_buffer.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(length);
        }
        var body = _buffer.AsMemory(0, length);
        await FillAsync(body, allowEnd: false, ct).ConfigureAwait(false);
        return TransferFrameCodec.Decode(type, body);
    }

    public ValueTask WriteAsync(TransferMessage message, CancellationToken ct) => stream.WriteAsync(TransferFrameCodec.Encode(message), ct);

    private async ValueTask<bool> FillAsync(Memory<byte> destination, bool allowEnd, CancellationToken ct)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var n = _placing is null
                ? await stream.ReadAsync(destination[done..], ct).ConfigureAwait(false)
                : await _placing.ReadAtLeastAsync(destination[done..], destination.Length - done, ct).ConfigureAwait(false);
            if (n == 0) break;
            done += n;
            Interlocked.Add(ref _bytesRead, n);
        }
        if (done == destination.Length) return true;
        if (done == 0 && allowEnd) return false;
        throw new FileProtocolException("the stream ended inside a frame");
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
