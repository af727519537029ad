// Logs refused STUN datagrams without letting a flood fill the log: a few lines a minute, then a count.
using System.Net;
using Microsoft.Extensions.Logging;

namespace P2PChat.Rendezvous.Stun;

public sealed class RefusalLog(ILogger log, TimeProvider time)
{
    public const int PerMinute = 20;
    private readonly object _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;
    private long _suppressed;
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(IPEndPoint source, string reason)
    {
        Interlocked.Increment(ref _total);
        long suppressed = 0;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now - _windowStart >= TimeSpan.FromMinutes(1))
            {
                suppressed = _suppressed;
                _suppressed = 0;
                _windowStart = now;
                _inWindow = 0;
            }
            if (++_inWindow > PerMinute)
            {
                _suppressed++;
                return;
            }
        }
        if (suppressed > 0) log.LogWarning("stun: {Count} more datagrams refused in the last minute (not logged one by one)", suppressed);
        log.LogWarning("stun: refused a datagram from {Source}: {Reason}", source, reason);
    }
}
