// A clock the test sets by hand, in UTC; timers (Task.Delay) still run on real time.
namespace P2PChat.Peer.Tests.Tui.Support;

public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(Noon)
    {
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
