// The sign-in throttle at exactly the seed's thresholds (the 5th failure blocks for exactly 7 minutes); only the account's own success resets.
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
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A, "alice"));
        Assert.Null(_throttle.BlockedFor(A));
        Assert.Equal(TimeSpan.FromMinutes(7), _throttle.RecordFailure(A, "alice"));
        Assert.Equal(TimeSpan.FromMinutes(7), _throttle.BlockedFor(A));
        Assert.Null(_throttle.BlockedFor(B));
    }

    [Fact]
    public void Block_ends_at_exactly_seven_minutes_and_the_count_starts_again()
    {
        for (var i = 0; i < 5; i++) _throttle.RecordFailure(A, "alice");
        _clock.Advance(TimeSpan.FromMinutes(7) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromTicks(1), _throttle.BlockedFor(A));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Null(_throttle.BlockedFor(A));
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A, "alice"));
        Assert.NotNull(_throttle.RecordFailure(A, "alice"));
    }

    [Fact]
    public void Success_resets_the_count()
    {
        for (var i = 0; i < 4; i++) _throttle.RecordFailure(A, "alice");
        _throttle.RecordSuccess(A, "alice");
        for (var i = 0; i < 4; i++) Assert.Null(_throttle.RecordFailure(A, "alice"));
        Assert.Null(_throttle.BlockedFor(A));
    }

    [Fact]
    public void Another_accounts_success_does_not_reset_the_count()
    {
        for (var i = 0; i < 4; i++) _throttle.RecordFailure(A, "victim");
        _throttle.RecordSuccess(A, "mallory");                       // the attacker signs in to an account of their own
        Assert.Equal(TimeSpan.FromMinutes(7), _throttle.RecordFailure(A, "victim"));
    }

    [Fact]
    public void Failures_at_several_accounts_add_up()
    {
        foreach (var name in new[] { "a1", "a2", "a3", "a4" }) Assert.Null(_throttle.RecordFailure(A, name));
        _throttle.RecordSuccess(A, "a1");                            // a1's owner got it right: only a1's failure goes
        Assert.Null(_throttle.RecordFailure(A, "a5"));
        Assert.NotNull(_throttle.RecordFailure(A, "A2"));            // names compare case-insensitively
    }
}
