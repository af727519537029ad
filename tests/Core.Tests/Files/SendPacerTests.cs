// The sender's rate cap (--file-send-rate) on the manual clock: credit is earned at the rate, at most a quarter second of it.
using P2PChat.Core.Files.Sessions;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Files;

public sealed class SendPacerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Sending_waits_until_the_bytes_are_earned_and_idle_time_buys_at_most_a_quarter_second_of_burst()
    {
        var time = new ManualTimeProvider();
        var pacer = new SendPacer(1_000_000, time);

        var first = pacer.WaitAsync(100_000, Ct); // the bucket starts empty: 0.1 s
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(first.IsCompletedSuccessfully);

        time.Advance(TimeSpan.FromSeconds(10)); // idle: the credit is capped at 250 000 bytes
        Assert.True(pacer.WaitAsync(250_000, Ct).IsCompletedSuccessfully);
        var over = pacer.WaitAsync(500_000, Ct);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(over.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(over.IsCompletedSuccessfully);
    }

    [Fact]
    public void After_t_seconds_at_most_rate_times_t_plus_a_quarter_second_has_gone_out()
    {
        var time = new ManualTimeProvider();
        var pacer = new SendPacer(4 << 20, time);
        long sent = 0;
        var start = time.GetTimestamp();
        for (var i = 0; i < 64; i++)
        {
            var wait = pacer.WaitAsync(1 << 20, Ct);
            while (!wait.IsCompleted) time.Advance(TimeSpan.FromMilliseconds(10));
            sent += 1 << 20;
            var seconds = time.GetElapsedTime(start).TotalSeconds;
            Assert.True(sent <= (4 << 20) * (seconds + 0.25), $"{sent} bytes after {seconds} s");
        }
    }

    [Fact]
    public void A_cancelled_wait_ends_with_cancellation()
    {
        var time = new ManualTimeProvider();
        var pacer = new SendPacer(1000, time);
        using var cancel = new CancellationTokenSource();
        var wait = pacer.WaitAsync(10_000, cancel.Token);
        cancel.Cancel();
        Assert.True(wait.IsCanceled);
    }
}
