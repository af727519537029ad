// A re-introduction's checks wait for a fresh discovery at most a bound, then go on with the candidates found before.
using P2PChat.Peer.Links;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class BoundedRefreshTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void A_refresh_that_ends_within_the_bound_gives_its_result()
    {
        var refresh = new TaskCompletionSource<string>();
        var waiting = BoundedRefresh.WithinAsync(refresh.Task, "before", PeerLinks.DiscoveryWait, _time, CancellationToken.None);

        _time.Advance(PeerLinks.DiscoveryWait / 2);
        refresh.SetResult("now");

        Assert.Equal(("now", true), _time.RunUntilDone(waiting, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_refresh_still_running_at_the_bound_gives_what_was_known_and_goes_on()
    {
        // where a STUN server never answers, discovery ends only after 7.75 s: longer than the other side's checks last
        var refresh = new TaskCompletionSource<string>();
        var waiting = BoundedRefresh.WithinAsync(refresh.Task, "before", PeerLinks.DiscoveryWait, _time, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(("before", false), _time.RunUntilDone(waiting, PeerLinks.DiscoveryWait * 2));
        Assert.False(refresh.Task.IsCompleted);
        refresh.SetResult("later");   // nobody waits for it any more: nothing is thrown, nothing changes
        Assert.Equal(("before", false), await waiting);
    }

    [Fact]
    public async Task Cancelling_the_checks_cancels_the_wait()
    {
        using var cts = new CancellationTokenSource();
        var waiting = BoundedRefresh.WithinAsync(new TaskCompletionSource<string>().Task, "before", PeerLinks.DiscoveryWait, _time, cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
