// Which chunks of a transfer the receiver holds verified: one bit per chunk, in transfer-wide chunk order.
namespace P2PChat.Core.Files;

/// <summary>Bit i (LSB-first: byte i / 8, bit i % 8) is set once chunk i was verified against its hash and written durably.</summary>
public sealed class ChunkBitmap
{
    private readonly byte[] _bits;

    public ChunkBitmap(int count) : this(count, new byte[(count + 7) / 8]) { }

    internal ChunkBitmap(int count, byte[] bits)
    {
        Count = count;
        _bits = bits;
        SetCount = 0;
        for (var i = 0; i < count; i++) if (this[i]) SetCount++;
    }

    public int Count { get; }
    public int SetCount { get; private set; }
    public bool IsComplete => SetCount == Count;
    public ReadOnlySpan<byte> Bits => _bits;

    public bool this[int index] => (_bits[index >> 3] & (1 << (index & 7))) != 0;

    /// <summary>Marks chunk <paramref name="index"/> verified; false if it already was.</summary>
    public bool Set(int index)
    {
        if (this[index]) return false;
        _bits[index >> 3] |= (byte)(1 << (index & 7));
        SetCount++;
        return true;
    }

    /// <summary>Marks chunk <paramref name="index"/> missing again (its write failed); false if it was not set.</summary>
    public bool Clear(int index)
    {
        if (!this[index]) return false;
        _bits[index >> 3] &= (byte)~(1 << (index & 7));
        SetCount--;
        return true;
    }

    /// <summary>Whether every chunk in [first, first + count) is set.</summary>
    public bool AllSet(int first, int count)
    {
        for (var i = first; i < first + count; i++) if (!this[i]) return false;
        return true;
    }

    /// <summary>The runs of missing chunks within [first, first + count), as (start, length), in order.</summary>
    public IEnumerable<(int Start, int Length)> MissingRuns(int first, int count)
    {
        var end = first + count;
        for (var i = first; i < end;)
        {
            if (this[i]) { i++; continue; }
            var start = i;
            while (i < end && !this[i]) i++;
            yield return (start, i - start);
        }
    }

    public ChunkBitmap Clone() => new(Count, (byte[])_bits.Clone());
}
