// The bytes of one stream that were written but not yet acknowledged, in 64 KiB chunks from a shared pool.
using System.Buffers;

namespace P2PChat.Core.Transport.Streams;

/// <summary>
/// Holds stream offsets [<see cref="Start"/>, <see cref="End"/>). Appends go at the end; any offset in range can be
/// copied out (for first sends and retransmissions); <see cref="ReleaseBelow"/> returns whole chunks once acked. A writer
/// may also fill the tail in place (<see cref="Lend"/>, <see cref="Advance"/>) instead of appending a copy.
/// </summary>
internal sealed class StreamSendBuffer
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private long _chunksStart; // stream offset of _chunks[0][0]
    private byte[]? _lent;     // the chunk of the piece lent to a writer (Lend) until it is committed (Advance)

    public long Start { get; private set; }
    public long End { get; private set; }
    public long Length => End - Start;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int inChunk = (int)((End - _chunksStart) % ChunkSize);
            if (inChunk == 0 && End - _chunksStart == (long)_chunks.Count * ChunkSize)
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
            int n = Math.Min(data.Length, ChunkSize - inChunk);
            data[..n].CopyTo(_chunks[^1].AsSpan(inChunk));
            data = data[n..];
            End += n;
        }
    }

    /// <summary>The free part of the last chunk (a new chunk when it is full), at most <paramref name="max"/> bytes, for a
    /// writer to fill in place; <see cref="Advance"/> then appends what it filled. Bytes at and past <see cref="End"/> are
    /// never read by the sender, so the writer may fill them outside the connection's lock.</summary>
    public Memory<byte> Lend(int max)
    {
        int inChunk = (int)((End - _chunksStart) % ChunkSize);
        if (inChunk == 0 && End - _chunksStart == (long)_chunks.Count * ChunkSize)
            _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
        _lent = _chunks[^1];
        return _lent.AsMemory(inChunk, Math.Min(max, ChunkSize - inChunk));
    }

    /// <summary>Appends the first <paramref name="count"/> bytes of the piece given by <see cref="Lend"/>.</summary>
    public void Advance(int count)
    {
        if (_lent is null) throw new InvalidOperationException("nothing was lent");
        int inChunk = (int)((End - _chunksStart) % ChunkSize);
        if (count < 0 || count > ChunkSize - inChunk) throw new ArgumentOutOfRangeException(nameof(count));
        End += count;
        _lent = null;
    }

    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < Start || offset + destination.Length > End) throw new ArgumentOutOfRangeException(nameof(offset));
        while (!destination.IsEmpty)
        {
            long relative = offset - _chunksStart;
            int chunk = (int)(relative / ChunkSize), inChunk = (int)(relative % ChunkSize);
            int n = Math.Min(destination.Length, ChunkSize - inChunk);
            _chunks[chunk].AsSpan(inChunk, n).CopyTo(destination);
            destination = destination[n..];
            offset += n;
        }
    }

    public void ReleaseBelow(long offset)
    {
        if (offset <= Start) return;
        Start = Math.Min(offset, End);
        while (_chunks.Count > 0 && Start - _chunksStart >= ChunkSize)
        {
            ArrayPool<byte>.Shared.Return(_chunks[0]);
            _chunks.RemoveAt(0);
            _chunksStart += ChunkSize;
        }
    }

    public void Clear()
    {
        // A chunk lent to a writer may still be filled by it: it is left to the garbage collector, never pooled.
        foreach (var chunk in _chunks)
            if (chunk != _lent) ArrayPool<byte>.Shared.Return(chunk);
        _lent = null;
        _chunks.Clear();
        _chunksStart = Start = End;
    }
}
