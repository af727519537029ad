// Per-user relay limits: a token bucket of packets and one of bytes, refilled continuously from the injected clock.
namespace P2PChat.Rendezvous.Links;

/// <summary>
/// Each user may relay <c>packetsPerSecond</c> packets and <c>bytesPerSecond</c> bytes a second, with a burst of one
/// second's worth of each. A packet that does not fit either bucket is refused (nothing is taken) and the answer says
/// how long until it would fit. Not thread-safe: one budget belongs to one session, used on its read loop.
/// </summary>
public sealed class RelayBudget(TimeProvider time, int packetsPerSecond, int bytesPerSecond)
{
    private double _packets = packetsPerSecond;
    private double _bytes = bytesPerSecond;
    private long _last = time.GetTimestamp();

    /// <summary>Null when <paramref name="bytes"/> may be relayed now (and is counted), else the wait until it could be.</summary>
    public TimeSpan? TryTake(int bytes)
    {
        var now = time.GetTimestamp();
        var seconds = time.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        _packets = Math.Min(packetsPerSecond, _packets + seconds * packetsPerSecond);
        _bytes = Math.Min(bytesPerSecond, _bytes + seconds * bytesPerSecond);
        if (_packets >= 1 && _bytes >= bytes)
        {
            _packets -= 1;
            _bytes -= bytes;
            return null;
        }
        var waitPackets = _packets >= 1 ? 0 : (1 - _packets) / packetsPerSecond;
        var waitBytes = _bytes >= bytes ? 0 : (bytes - _bytes) / bytesPerSecond;
        return TimeSpan.FromSeconds(Math.Max(waitPackets, waitBytes));
    }
}
