// The moment the TUI tests' clock starts at (a Saturday noon, UTC); the clock is the suites' one ManualTimeProvider.
using P2PChat.TestSupport;

namespace P2PChat.Peer.Tests.Tui.Support;

public static class TuiTestTime
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A manual clock at <see cref="Noon"/>; the view state only reads it (no timers).</summary>
    public static ManualTimeProvider Clock() => new(Noon);
}
