// Walks the packet-number ranges of an ACK frame from the highest down (already validated by FrameReader).
using P2PChat.Core.Bytes;

namespace P2PChat.Core.Transport.Wire;

/// <summary>Yields inclusive [smallest, largest] ranges in descending order.</summary>
internal ref struct AckRangeReader
{
    private ByteReader _reader;
    private long _remaining;
    private long _nextLargest;
    private bool _first;
    private readonly long _firstLength;

    /// <param name="largest">Largest acknowledged packet number.</param>
    /// <param name="firstLength">The first range length F.</param>
    /// <param name="extraRanges">The (gap, length) pairs, count given by <paramref name="extraCount"/>.</param>
    public AckRangeReader(long largest, long firstLength, long extraCount, ReadOnlySpan<byte> extraRanges)
    {
        _reader = new ByteReader(extraRanges);
        _remaining = extraCount;
        _nextLargest = largest;
        _firstLength = firstLength;
        _first = true;
    }

    /// <summary>Returns false when there is no further range, or when a range would go below packet number 0.</summary>
    public bool TryNext(out long smallest, out long largest)
    {
        smallest = largest = 0;
        long length;
        if (_first)
        {
            _first = false;
            length = _firstLength;
        }
        else
        {
            if (_remaining == 0) return false;
            _remaining--;
            if (!_reader.TryReadVarInt(long.MaxValue, out long gap) || !_reader.TryReadVarInt(long.MaxValue, out length)) return false;
            _nextLargest -= gap + 2;
        }
        largest = _nextLargest;
        smallest = largest - length;
        if (largest < 0 || smallest < 0) return false;
        _nextLargest = smallest;
        return true;
    }
}
