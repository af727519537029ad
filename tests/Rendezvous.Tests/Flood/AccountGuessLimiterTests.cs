// The per-account guessing limit with an injected clock: growing delays after 5 failures, familiar addresses never delayed.
using System.Net;
using P2PChat.Rendezvous.Flood;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Flood;

public sealed class AccountGuessLimiterTests
{
    private static readonly IPAddress Home = IPAddress.Parse("192.0.2.1");
    private readonly ManualTimeProvider _clock = new();
    private readonly AccountGuessLimiter _limiter;

    public AccountGuessLimiterTests() => _limiter = new AccountGuessLimiter(_clock, 5, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(15),
        TimeSpan.FromDays(1), TimeSpan.FromDays(30));

    private static IPAddress Bot(int i) => IPAddress.Parse($"198.51.100.{i}");

    [Fact]
    public void Five_failures_are_free_then_delays_double_up_to_the_maximum()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_limiter.WaitFor("alice", Bot(i)));
            _limiter.RecordFailure("alice", Bot(i));                    // each from a different address
        }
        Assert.Equal(TimeSpan.FromSeconds(2), _limiter.WaitFor("ALICE", Bot(50)));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(_limiter.WaitFor("alice", Bot(51)));
        _limiter.RecordFailure("alice", Bot(51));
        Assert.Equal(TimeSpan.FromSeconds(4), _limiter.WaitFor("alice", Bot(52)));
        Assert.Equal([0, 0, 2, 4, 8, 512, 900, 900], new[] { 0, 4, 5, 6, 7, 13, 14, 40 }.Select(n => (int)_limiter.Delay(n).TotalSeconds));
        Assert.Null(_limiter.WaitFor("bob", Bot(52)));                  // other accounts are untouched
    }

    [Fact]
    public void The_owner_is_never_delayed_from_an_address_they_signed_in_from()
    {
        _limiter.RecordSuccess("alice", Home);
        for (var i = 0; i < 40; i++)
        {
            _limiter.RecordFailure("alice", Bot(i));
            _clock.Advance(_limiter.WaitFor("alice", Bot(i)) ?? TimeSpan.Zero);
        }
        _limiter.RecordFailure("alice", Bot(99));
        Assert.NotNull(_limiter.WaitFor("alice", Bot(100)));
        Assert.Null(_limiter.WaitFor("alice", Home));
        _limiter.RecordFailure("alice", Home);                           // a typo at home does not count either
        _limiter.RecordSuccess("alice", Home);
        Assert.Null(_limiter.WaitFor("alice", Bot(100)));              // the right password resets the count
    }

    [Fact]
    public void Failures_are_forgotten_after_a_quiet_day_and_familiarity_after_thirty_days()
    {
        _limiter.RecordSuccess("alice", Home);
        for (var i = 0; i < 6; i++) _limiter.RecordFailure("alice", Bot(i));
        Assert.NotNull(_limiter.WaitFor("alice", Bot(9)));
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(_limiter.WaitFor("alice", Bot(9)));
        _clock.Advance(TimeSpan.FromDays(29));
        for (var i = 0; i < 6; i++) _limiter.RecordFailure("alice", Home);
        Assert.NotNull(_limiter.WaitFor("alice", Home));                // no longer familiar
    }

    [Fact]
    public void Unknown_account_names_are_limited_the_same_way()
    {
        for (var i = 0; i < 6; i++) _limiter.RecordFailure("nobody", Bot(i));
        Assert.Equal(TimeSpan.FromSeconds(4), _limiter.WaitFor("nobody", Bot(7)));
    }
}
