// Logs refused datagrams (STUN, relayed link packets) without letting a flood fill the log: a few lines a minute, then a count.
using System.Net;
using Microsoft.Extensions.Logging;

namespace P2PChat.Rendezvous.Stun;

/// <param name="what">the prefix of each line and what is refused: "stun" datagrams, "relay" frames.</param>
public sealed class RefusalLog(ILogger log, TimeProvider time, string what = "stun")
{
    public const int PerMinute = 20;
    private readonly object _gate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;
    private long _suppressed;
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(IPEndPoint source, string reason) => Add(source.ToString(), reason);

    public void Add(string source, string reason)
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
        if (suppressed > 0) log.LogWarning("{What}: {Count} more refused in the last minute (not logged one by one)", what, suppressed);
        log.LogWarning("{What}: refused from {Source}: {Reason}", what, source, reason);
    }
}
