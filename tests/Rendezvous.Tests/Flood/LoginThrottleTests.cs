// The sign-in throttle at exactly the seed's thresholds: the 5th consecutive failure blocks for exactly 7 minutes.
using System.Net;
using P2PChat.Rendezvous.Flood;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Flood;

public sealed class LoginThrottleTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");
    private readonly ManualTimeProvider _clock = new();
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() => _throttle = new LoginThrottle(_clock, 5, TimeSpan.FromMinutes(7));

    [Fact]
    public void Fourth_failure_does_not_block_and_fifth_does()
    {
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A));
        Assert.Null(_throttle.BlockedFor(A));
        Assert.Equal(TimeSpan.FromMinutes(7), _throttle.RecordFailure(A));
        Assert.Equal(TimeSpan.FromMinutes(7), _throttle.BlockedFor(A));
        Assert.Null(_throttle.BlockedFor(B));
    }

    [Fact]
    public void Block_ends_at_exactly_seven_minutes_and_the_count_starts_again()
    {
        for (var i = 0; i < 5; i++) _throttle.RecordFailure(A);
        _clock.Advance(TimeSpan.FromMinutes(7) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromTicks(1), _throttle.BlockedFor(A));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_throttle.BlockedFor(A));
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A));
        Assert.NotNull(_throttle.RecordFailure(A));
    }

    [Fact]
    public void Success_resets_the_count()
    {
        for (var i = 0; i < 4; i++) _throttle.RecordFailure(A);
        _throttle.RecordSuccess(A);
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A));
        Assert.Null(_throttle.BlockedFor(A));
    }
}
