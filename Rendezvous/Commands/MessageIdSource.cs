// Hands out ids for messages delivered live (offline messages take the store's persistent ids instead).
namespace P2PChat.Rendezvous.Commands;

/// <summary>
/// Live message ids have the top bit set, so they never collide with the store's offline ids (positive
/// 63-bit row ids). They start at the server's start time in milliseconds shifted left by 12 bits, so ids stay
/// unique across restarts unless more than 4,096 live messages per millisecond of uptime are sent.
/// </summary>
public sealed class MessageIdSource(TimeProvider time)
{
    private const ulong LiveBit = 1UL << 63;
    private long _next = time.GetUtcNow().ToUnixTimeMilliseconds() << 12;

    public ulong Next() => LiveBit | (ulong)Interlocked.Increment(ref _next);
}
