// Reassembles one stream's received bytes, arriving out of order and duplicated, into in-order reads.
namespace P2PChat.Core.Transport.Streams;

/// <summary>
/// A ring buffer over stream offsets [<see cref="ReadOffset"/>, ReadOffset + capacity): byte at offset o lives at
/// index o mod capacity. Capacity starts small and doubles as needed up to the flow-control window, which bounds how
/// far ahead of the reader the sender may go. <see cref="Received"/> tracks which offsets hold data.
/// </summary>
internal sealed class StreamReceiveBuffer(int initialCapacity = 4096)
{
    private byte[] _ring = [];
    private readonly RangeSet _received = new();

    public long ReadOffset { get; private set; }

    /// <summary>Bytes readable now (contiguous from <see cref="ReadOffset"/>).</summary>
    public long Readable => !_received.IsEmpty && _received.First.Start <= ReadOffset ? _received.First.End - ReadOffset : 0;

    /// <summary>Stores data at <paramref name="offset"/>; parts below the read offset (already delivered) are ignored.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < ReadOffset)
        {
            long skip = ReadOffset - offset;
            if (skip >= data.Length) return;
            data = data[(int)skip..];
            offset = ReadOffset;
        }
        if (data.IsEmpty) return;
        long end = offset + data.Length;
        EnsureCapacity(end - ReadOffset);
        int mask = _ring.Length - 1;
        int index = (int)(offset & mask);
        int first = Math.Min(data.Length, _ring.Length - index);
        data[..first].CopyTo(_ring.AsSpan(index));
        data[first..].CopyTo(_ring);
        _received.Add(offset, end);
    }

    /// <summary>
    /// Like <see cref="Write"/>, for a reader waiting with <paramref name="destination"/>: the part of the data that
    /// continues the read position goes straight into it (and counts as read) when nothing is buffered there; what does
    /// not fit, or arrived out of order, is buffered as usual, and buffered bytes that now follow on are read into the
    /// rest of <paramref name="destination"/>. Returns the bytes placed in <paramref name="destination"/>.
    /// </summary>
    public int WriteInto(long offset, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int placed = 0;
        if (!destination.IsEmpty && offset <= ReadOffset && offset + data.Length > ReadOffset && Readable == 0)
        {
            int skip = (int)(ReadOffset - offset);
            placed = Math.Min(data.Length - skip, destination.Length);
            data.Slice(skip, placed).CopyTo(destination);
            ReadOffset += placed;
            _received.Remove(0, ReadOffset);
        }
        Write(offset, data); // only what lies beyond the read position is kept
        if (placed < destination.Length) placed += Read(destination[placed..]);
        return placed;
    }

    public int Read(Span<byte> destination)
    {
        int n = (int)Math.Min(destination.Length, Readable);
        if (n == 0) return 0;
        int mask = _ring.Length - 1;
        int index = (int)(ReadOffset & mask);
        int first = Math.Min(n, _ring.Length - index);
        _ring.AsSpan(index, first).CopyTo(destination);
        _ring.AsSpan(0, n - first).CopyTo(destination[first..]);
        ReadOffset += n;
        _received.Remove(0, ReadOffset);
        return n;
    }

    public void Release()
    {
        _ring = [];
        _received.Clear();
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= _ring.Length) return;
        int capacity = Math.Max(initialCapacity, _ring.Length);
        while (capacity < needed) capacity *= 2;
        var ring = new byte[capacity];
        // Move every held byte to its new index.
        for (int i = 0; i < _received.Count; i++)
        {
            var r = _received[i];
            for (long o = r.Start; o < r.End;)
            {
                int oldIndex = (int)(o & (_ring.Length - 1));
                int run = (int)Math.Min(r.End - o, _ring.Length - oldIndex);
                int newIndex = (int)(o & (capacity - 1));
                run = Math.Min(run, capacity - newIndex);
                _ring.AsSpan(oldIndex, run).CopyTo(ring.AsSpan(newIndex));
                o += run;
            }
        }
        _ring = ring;
    }
}
