// Notices a silent host: the member's failure detector on the injected clock.
namespace P2PChat.Core.Rooms;

/// <summary>
/// The host pings every <see cref="PingInterval"/>; any frame from the host counts as heard. The host is suspected
/// gone once nothing was heard for <see cref="Timeout"/> (3 missed pings), or at once when the link closes.
/// </summary>
public sealed class HostWatch(TimeProvider time, TimeSpan timeout)
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);
    private long _lastHeard = time.GetTimestamp();

    public TimeSpan Timeout => timeout;

    public void Heard() => Interlocked.Exchange(ref _lastHeard, time.GetTimestamp());

    public TimeSpan Silence => time.GetElapsedTime(Interlocked.Read(ref _lastHeard));

    public bool HostSuspected => Silence >= timeout;
}
