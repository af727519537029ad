// The command rate limit at exactly the seed's thresholds: the 11th command within 5 s starts a 60 s penalty.
using P2PChat.Rendezvous.Flood;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Flood;

public sealed class CommandRateLimiterTests
{
    private const uint Alice = 0x8000_0001, Bob = 0x8000_0002;
    private readonly ManualTimeProvider _clock = new();
    private readonly CommandRateLimiter _limiter;

    public CommandRateLimiterTests() => _limiter = new CommandRateLimiter(_clock, 10, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));

    [Fact]
    public void Tenth_command_passes_and_eleventh_triggers()
    {
        for (var i = 0; i < 10; i++) Assert.Null(_limiter.TryAccept(Alice));
        Assert.Equal(TimeSpan.FromMinutes(1), _limiter.TryAccept(Alice));
        Assert.Null(_limiter.TryAccept(Bob));
    }

    [Fact]
    public void Commands_spread_over_more_than_the_window_never_trigger()
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(_limiter.TryAccept(Alice));
            _clock.Advance(TimeSpan.FromMilliseconds(500));   // exactly 10 per 5 s
        }
    }

    [Fact]
    public void Penalty_refuses_with_the_time_left_and_ends_at_exactly_sixty_seconds()
    {
        for (var i = 0; i < 10; i++) _limiter.TryAccept(Alice);
        _limiter.TryAccept(Alice);
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TimeSpan.FromSeconds(1), _limiter.TryAccept(Alice));
        _clock.Advance(TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10; i++) Assert.Null(_limiter.TryAccept(Alice));   // a fresh window
        Assert.NotNull(_limiter.TryAccept(Alice));
    }

    [Fact]
    public async Task Concurrent_commands_of_one_user_are_counted_exactly_once_each()
    {
        var limiter = new CommandRateLimiter(_clock, 500, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        var accepted = 0;
        // 8 threads, 100 commands each, for one user and for users of their own (prunes run meanwhile: 4,096 accepts).
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                if (limiter.TryAccept(Alice) is null) Interlocked.Increment(ref accepted);
                for (uint u = 0; u < 10; u++) Assert.Null(limiter.TryAccept(0x9000_0000 + (uint)t * 1000 + u));
            }
        })));
        Assert.Equal(500, accepted);
        Assert.Equal(TimeSpan.FromMinutes(1), limiter.TryAccept(Alice));
    }
}
