// Watches one path on an injected clock: keepalives at the measured interval, an RTT estimate, and a dead path noticed within seconds.
namespace P2PChat.Core.Links.Paths;

/// <summary>Sends one liveness probe on the path (a consent check; an answer comes back through <see cref="PathMonitor.OnProbeAnswered"/>).</summary>
public interface IPathProbe
{
    void SendProbe();
}

public enum PathHealth
{
    /// <summary>The peer answered since our last packet, or our last packet is too recent to worry.</summary>
    Alive,
    /// <summary>Nothing came back for <see cref="PathMonitorOptions.SuspectAfter"/> after we sent: probing fast.</summary>
    Suspect,
    /// <summary>Nothing came back for <see cref="PathMonitorOptions.DeadAfter"/>: replace the path. Final.</summary>
    Dead,
}

/// <param name="SuspectAfter">silence after an outgoing packet before probing fast (at least 3 RTT).</param>
/// <param name="ProbeInterval">pacing of fast probes while suspect.</param>
/// <param name="DeadAfter">silence after the first unanswered outgoing packet that makes the path dead.</param>
public sealed record PathMonitorOptions(TimeSpan SuspectAfter, TimeSpan ProbeInterval, TimeSpan DeadAfter)
{
    /// <summary>1 s, then a probe every 0.5 s, dead after 3.5 s (1 s + 5 probes): a dead path is noticed 3.5 s after
    /// the first packet it swallowed, or at most one keepalive interval + 3.5 s on an idle link.</summary>
    public static PathMonitorOptions Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3.5));
}

/// <summary>
/// States: Alive ⇄ Suspect → Dead (final). Alive → Suspect when an outgoing packet (data or keepalive) has had no
/// incoming packet after it for SuspectAfter (max(1 s, 3 × smoothed RTT)); Suspect → Alive on any incoming packet;
/// Suspect → Dead once DeadAfter has passed since that first unanswered packet. Keepalives: when nothing went out for
/// the keepalive interval (<see cref="KeepalivePolicy"/> from the measured <see cref="BindingLifetime"/>), a probe
/// goes out; its answer proves the binding survived that silence, unless the peer saw it come from another port
/// (then the binding had expired). RTT: RFC 6298 smoothing (1/8) of probe answers. One timer, re-armed at the next
/// deadline; all inputs are thread-safe.
/// </summary>
public sealed class PathMonitor : IDisposable
{
    private readonly object _gate = new();
    private readonly IPathProbe _probe;
    private readonly TimeProvider _time;
    private readonly PathMonitorOptions _options;
    private readonly ITimer _timer;
    private long _lastOutbound;
    private long _lastInbound;
    private long _firstUnanswered = -1;
    private long _lastProbe;
    private TimeSpan? _keepaliveGap;
    private bool _disposed;

    public PathMonitor(IPathProbe probe, TimeProvider time, BindingLifetime? lifetime = null, PathMonitorOptions? options = null)
    {
        _probe = probe;
        _time = time;
        _options = options ?? PathMonitorOptions.Default;
        Lifetime = lifetime ?? BindingLifetime.Unknown;
        _lastOutbound = _lastInbound = time.GetTimestamp();
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate) Rearm(_lastOutbound);
    }

    public PathHealth Health { get; private set; }
    public TimeSpan? Rtt { get; private set; }
    public BindingLifetime Lifetime { get; private set; }
    public TimeSpan KeepaliveInterval => KeepalivePolicy.Interval(Lifetime);
    public int ProbesSent { get; private set; }

    /// <summary>Raised (outside the lock) when the health changes; Dead is raised once.</summary>
    public event Action<PathHealth>? HealthChanged;

    /// <summary>Something (data) went out on the path.</summary>
    public void OnOutbound()
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            _lastOutbound = now;
            if (_firstUnanswered < 0) _firstUnanswered = now;
            Rearm(now);
        }
    }

    /// <summary>Something authenticated came in from the peer on the path (transport data or its check).</summary>
    public void OnInbound() => Answered(null, bindingChanged: false);

    /// <summary>A probe was answered; <paramref name="bindingChanged"/> when the peer saw it from another address than before.</summary>
    public void OnProbeAnswered(TimeSpan rtt, bool bindingChanged = false) => Answered(rtt, bindingChanged);

    private void Answered(TimeSpan? rtt, bool bindingChanged)
    {
        PathHealth? changed = null;
        lock (_gate)
        {
            if (_disposed || Health == PathHealth.Dead) return;
            long now = _time.GetTimestamp();
            _lastInbound = now;
            _firstUnanswered = -1;
            if (rtt is { } sample) Rtt = Rtt is { } srtt ? srtt * 7 / 8 + sample / 8 : sample;
            if (rtt.HasValue && _keepaliveGap is { } gap)
            {
                Lifetime = bindingChanged ? Lifetime.ObserveExpired(gap) : Lifetime.ObserveSurvived(gap);
                _keepaliveGap = null;
            }
            if (Health == PathHealth.Suspect) changed = Health = PathHealth.Alive;
            Rearm(now);
        }
        if (changed is { } h) HealthChanged?.Invoke(h);
    }

    private void OnTimer()
    {
        PathHealth? changed = null;
        lock (_gate)
        {
            if (_disposed || Health == PathHealth.Dead) return;
            long now = _time.GetTimestamp();
            if (_firstUnanswered >= 0 && Elapsed(_firstUnanswered, now) >= _options.DeadAfter)
            {
                changed = Health = PathHealth.Dead;
                if (_keepaliveGap is { } gap) Lifetime = Lifetime.ObserveExpired(gap);
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
            else
            {
                if (_firstUnanswered >= 0 && Elapsed(_firstUnanswered, now) >= SuspectAfter && Health == PathHealth.Alive)
                    changed = Health = PathHealth.Suspect;
                if (Health == PathHealth.Suspect && Elapsed(_lastProbe, now) >= _options.ProbeInterval) Probe(now, keepalive: false);
                else if (Elapsed(_lastOutbound, now) >= KeepaliveInterval) Probe(now, keepalive: true);
                Rearm(now);
            }
        }
        if (changed is { } h) HealthChanged?.Invoke(h);
    }

    private TimeSpan SuspectAfter => Rtt is { } rtt && rtt * 3 > _options.SuspectAfter ? rtt * 3 : _options.SuspectAfter;

    private void Probe(long now, bool keepalive)
    {
        if (keepalive) _keepaliveGap = Elapsed(_lastOutbound, now);
        _lastOutbound = _lastProbe = now;
        if (_firstUnanswered < 0) _firstUnanswered = now;
        ProbesSent++;
        _probe.SendProbe();
    }

    /// <summary>Arms the timer at the earliest of: the next keepalive, the suspicion or death deadline, the next fast probe.</summary>
    private void Rearm(long now)
    {
        if (_disposed || Health == PathHealth.Dead) return;
        var due = KeepaliveInterval - Elapsed(_lastOutbound, now);
        if (_firstUnanswered >= 0)
        {
            var sinceFirst = Elapsed(_firstUnanswered, now);
            due = Min(due, Health == PathHealth.Suspect ? _options.ProbeInterval - Elapsed(_lastProbe, now) : SuspectAfter - sinceFirst);
            due = Min(due, _options.DeadAfter - sinceFirst);
        }
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / (double)_time.TimestampFrequency);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer.Dispose();
        }
    }
}
