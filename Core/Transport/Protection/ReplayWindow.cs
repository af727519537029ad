// Sliding window of packet counters already accepted on a link: rejects replays and packets too old to judge.
namespace P2PChat.Core.Transport.Protection;

/// <summary>
/// Keeps the highest counter accepted and a ring of <see cref="Size"/> bits, bit (c mod Size) meaning counter c was accepted,
/// valid for counters in (highest − Size, highest]. Counters at or below highest − Size are rejected as too old.
/// Check before decrypting, <see cref="Accept"/> only after the tag verified, so forged packets cannot move the window.
/// Not thread-safe; its owner locks around it (the transport's AES-GCM protector, under its connection's lock).
/// </summary>
internal sealed class ReplayWindow
{
    public const int Size = 1024;
    private readonly ulong[] _bits = new ulong[Size / 64];
    private ulong _highest;
    private bool _any;

    public bool IsFresh(ulong counter)
    {
        if (!_any || counter > _highest) return true;
        if (_highest - counter >= Size) return false;
        return !Get(counter);
    }

    public void Accept(ulong counter)
    {
        if (!_any || counter > _highest)
        {
            var advance = _any ? counter - _highest : ulong.MaxValue;
            if (advance >= Size) Array.Clear(_bits);
            else for (var c = _highest + 1; c <= counter; c++) Set(c, false);
            _highest = counter;
            _any = true;
        }
        Set(counter, true);
    }

    private bool Get(ulong counter) => (_bits[counter % Size / 64] & (1UL << (int)(counter % 64))) != 0;

    private void Set(ulong counter, bool value)
    {
        ref var word = ref _bits[counter % Size / 64];
        var mask = 1UL << (int)(counter % 64);
        word = value ? word | mask : word & ~mask;
    }
}
