// Deterministic per-stream byte patterns, so a reader can check every byte's value and position.
namespace P2PChat.Core.Tests.Transport;

internal static class StreamPattern
{
    public static byte At(int tag, long offset) =>
        (byte)((offset * 31) ^ (offset >> 8) * 17 ^ (offset >> 16) * 7 ^ tag * 101);

    public static void Fill(int tag, long offset, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = At(tag, offset + i);
    }
}
