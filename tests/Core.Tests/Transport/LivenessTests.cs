// Per-connection keepalive interval and the silence alarm (PathSilent), on the in-memory network and manual clock.
using P2PChat.Core.Transport;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class LivenessTests
{
    private static readonly LinkConditions Path = new() { Delay = TimeSpan.FromMilliseconds(20) };

    private static void RunFor(ConnectedPair pair, TimeSpan span)
    {
        var until = pair.Sim.Clock.GetUtcNow() + span;
        pair.Sim.Run(() => { }, () => pair.Sim.Clock.GetUtcNow() >= until, span + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_keepalive_interval_set_at_runtime_takes_effect_at_once()
    {
        using var pair = new ConnectedPair(Path, seed: 21);
        pair.Client.KeepAliveInterval = TimeSpan.FromSeconds(2);
        pair.Server.KeepAliveInterval = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromSeconds(2), pair.Client.KeepAliveInterval);
        RunFor(pair, TimeSpan.FromSeconds(11));

        // Idle both ways: with the default 15 s the peer would have heard nothing for 11 s.
        Assert.True(pair.Server.SinceLastReceived <= TimeSpan.FromSeconds(2.1), $"{pair.Server.SinceLastReceived}");
        Assert.True(pair.Client.SinceLastReceived <= TimeSpan.FromSeconds(2.1), $"{pair.Client.SinceLastReceived}");
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.KeepAliveInterval = TimeSpan.FromSeconds(26));
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.KeepAliveInterval = TimeSpan.Zero);
    }

    [Fact]
    public async Task A_dead_path_raises_PathSilent_once_after_the_silence_timeout()
    {
        using var pair = new ConnectedPair(Path, seed: 22);
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int count = 0;
        pair.Client.PathSilent += (sender, _) =>
        {
            Assert.Same(pair.Client, sender);
            Interlocked.Increment(ref count);
            raised.TrySetResult();
        };
        pair.Client.PathSilenceTimeout = TimeSpan.FromSeconds(3);
        RunFor(pair, TimeSpan.FromSeconds(1));
        Assert.Equal(0, pair.Client.Statistics.PathSilences);

        pair.Sim.Network.Conditions = Path with { Loss = 1.0 }; // the path dies
        var cut = pair.Sim.Clock.GetUtcNow();
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.Statistics.PathSilences == 1, TimeSpan.FromSeconds(30)));
        Assert.InRange(pair.Sim.Clock.GetUtcNow() - cut, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        Assert.Equal(ConnectionState.Established, pair.Client.State); // the link layer decides; the connection lives on

        await raised.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        RunFor(pair, TimeSpan.FromSeconds(20));
        Assert.Equal(1, pair.Client.Statistics.PathSilences); // once per silence
        Assert.Equal(1, Volatile.Read(ref count));
    }

    [Fact]
    public void An_idle_but_live_path_is_never_reported_silent()
    {
        using var pair = new ConnectedPair(Path, seed: 23);
        pair.Client.PathSilenceTimeout = TimeSpan.FromSeconds(3); // much shorter than the 15 s keepalive
        RunFor(pair, TimeSpan.FromSeconds(40));
        Assert.Equal(0, pair.Client.Statistics.PathSilences);
        Assert.Equal(TimeSpan.FromSeconds(3), pair.Client.PathSilenceTimeout);
        pair.Client.PathSilenceTimeout = Timeout.InfiniteTimeSpan;
        Assert.Equal(Timeout.InfiniteTimeSpan, pair.Client.PathSilenceTimeout);
    }
}
