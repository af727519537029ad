// When a UDP request is sent again and when it is given up: the timers of STUN, NAT-PMP and PCP exchanges.
namespace P2PChat.Core.Nat;

/// <summary>
/// The request goes out at 0, then again after <see cref="Initial"/>, 2×, 4×... (capped at <see cref="MaxInterval"/>),
/// <see cref="Attempts"/> times in all; the last wait is as long as the one before it, then the exchange fails.
/// </summary>
public sealed record RetransmitSchedule(TimeSpan Initial, int Attempts, TimeSpan MaxInterval)
{
    /// <summary>STUN (RFC 8489 uses RTO 500 ms, 7 tries, ~39.5 s; a chat client wants an answer sooner): 0.25 s doubling, 5 tries = 7.75 s.</summary>
    public static RetransmitSchedule Stun { get; } = new(TimeSpan.FromMilliseconds(250), 5, TimeSpan.FromSeconds(4));

    /// <summary>NAT-PMP and PCP (RFC 6886 3.1: 250 ms doubling, up to 9 tries ~64 s): a gateway is one hop away, 4 tries = 3.75 s.</summary>
    public static RetransmitSchedule Router { get; } = new(TimeSpan.FromMilliseconds(250), 4, TimeSpan.FromSeconds(2));

    /// <summary>The wait after attempt <paramref name="attempt"/> (1-based) before the next send or the give-up.</summary>
    public TimeSpan WaitAfter(int attempt)
    {
        var wait = Initial * Math.Pow(2, Math.Min(attempt - 1, 20));
        return wait > MaxInterval ? MaxInterval : wait;
    }

    /// <summary>From the first send to giving up.</summary>
    public TimeSpan Total => Enumerable.Range(1, Attempts).Aggregate(TimeSpan.Zero, (sum, a) => sum + WaitAfter(a));
}
