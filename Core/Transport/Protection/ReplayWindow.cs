// Sliding-window replay detection over 64-bit sequence numbers (as IPsec/DTLS), 1024 numbers wide.
namespace P2PChat.Core.Transport;

/// <summary>
/// Remembers the highest accepted sequence number and a bitmap of the 1024 numbers below it. A number already
/// seen, or older than the window, is a replay. <see cref="IsReplay"/> only checks; <see cref="Accept"/> records,
/// and must be called only after the packet authenticated.
/// </summary>
internal sealed class ReplayWindow
{
    private const int Words = 16;
    private const long Size = Words * 64;
    private readonly ulong[] _bits = new ulong[Words];
    private long _highest = -1;

    public bool IsReplay(long sequence)
    {
        if (sequence < 0) return true;
        if (sequence > _highest) return false;
        long age = _highest - sequence;
        if (age >= Size) return true;
        return (_bits[(sequence % Size) / 64] & (1UL << (int)(sequence % 64))) != 0;
    }

    public void Accept(long sequence)
    {
        if (sequence > _highest)
        {
            long shift = sequence - _highest;
            if (shift >= Size) Array.Clear(_bits);
            else
                for (long s = _highest + 1; s <= sequence; s++)
                    _bits[(s % Size) / 64] &= ~(1UL << (int)(s % 64));
            _highest = sequence;
        }
        _bits[(sequence % Size) / 64] |= 1UL << (int)(sequence % 64);
    }
}
