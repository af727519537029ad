// The bytes of one stream that were written but not yet acknowledged, in 64 KiB chunks from a shared pool.
using System.Buffers;

namespace P2PChat.Core.Transport.Streams;

/// <summary>
/// Holds stream offsets [<see cref="Start"/>, <see cref="End"/>). Appends go at the end; any offset in range can be
/// copied out (for first sends and retransmissions); <see cref="ReleaseBelow"/> returns whole chunks once acked.
/// </summary>
internal sealed class StreamSendBuffer
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private long _chunksStart; // stream offset of _chunks[0][0]

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
        foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        _chunksStart = Start = End;
    }
}
