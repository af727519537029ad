// Notices a silent host: the member's failure detector on the injected clock, with a timeout that adapts to the gaps seen.
namespace P2PChat.Core.Rooms;

/// <summary>
/// The host pings every member each <see cref="PingInterval"/>; any frame from the host counts as heard
/// (<see cref="Heard"/>). The host is suspected gone once nothing was heard for <see cref="Timeout"/> (a stream that ends
/// is reconnected, and its silence keeps counting: <see cref="Reconnected"/>). The timeout adapts to how regular the host has been: it is <see cref="GapFactor"/> times the
/// longest gap between two frames among the last <see cref="GapWindow"/> (so a host whose pings arrive late because
/// either machine is loaded is given longer), never below the configured floor and never above
/// <see cref="Ceiling"/> (unless the floor is higher: tests that jump a manual clock set a floor of hours). On an
/// idle machine the gaps are one ping interval, so the timeout is the floor (1.5 s, 6 missed pings: a 1 s floor gave
/// false failovers on a machine at load 60-120, so the floor was not lowered; the check runs every 0.25 s instead of
/// every 0.5 s, so a silence is noticed within 1.5-1.75 s).
/// </summary>
public sealed class HostWatch
{
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(0.25);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(3);
    public const double GapFactor = 4;
    public const int GapWindow = 64;

    private readonly TimeProvider _time;
    private readonly TimeSpan _floor;
    private readonly Lock _gate = new();
    private readonly long[] _gaps = new long[GapWindow];
    private int _next;
    private long _lastHeard;
    private bool _fresh = true;

    public HostWatch(TimeProvider time, TimeSpan floor)
    {
        _time = time;
        _floor = floor;
        _lastHeard = time.GetTimestamp();
    }

    /// <summary>The silence after which the host is suspected now (floor ≤ it ≤ max(floor, ceiling)).</summary>
    public TimeSpan Timeout
    {
        get
        {
            long longest;
            lock (_gate) longest = _gaps.Max();
            var adaptive = TimeSpan.FromSeconds(GapFactor * longest / (double)_time.TimestampFrequency);
            var capped = adaptive < Ceiling ? adaptive : Ceiling;
            return capped > _floor ? capped : _floor;
        }
    }

    /// <summary>A frame from the host arrived.</summary>
    public void Heard()
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            // The first frame after (re)connecting says nothing about the host's rhythm: the wait was ours.
            if (!_fresh)
            {
                _gaps[_next] = now - _lastHeard;
                _next = (_next + 1) % GapWindow;
            }
            _fresh = false;
            _lastHeard = now;
        }
    }

    /// <summary>A new host (or a new connection to it): its silence counts from now, its first gap is not measured.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _lastHeard = _time.GetTimestamp();
            _fresh = true;
        }
    }

    /// <summary>
    /// A new stream to the host we were already watching (the old one ended while the host was not yet suspected, e.g.
    /// its link was replaced): the silence keeps counting from the last frame heard, so a host that is really gone is
    /// suspected on time however often we reconnect, and the wait for the new stream is not taken as a gap.
    /// </summary>
    public void Reconnected()
    {
        lock (_gate) _fresh = true;
    }

    public TimeSpan Silence
    {
        get
        {
            lock (_gate) return _time.GetElapsedTime(_lastHeard);
        }
    }

    public bool HostSuspected => Silence >= Timeout;
}
