// Lab scenario 9: a relayed link moves to a direct path when a NAT changes from symmetric to cone, losing no PM.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// The <c>symsym</c> lab: both routers symmetric, so the link starts (and stays) on the relay. Then router 1 becomes a
/// port-restricted cone (<c>netlab.sh nat PREFIX 1 cone</c>: new MASQUERADE rule, its UDP mappings flushed, as after a
/// router swap). Router 2 stays symmetric, so the direct path needs the relayed link's periodic fresh introduction to
/// notice the change and the checks to probe the symmetric side. Meanwhile alice sends a numbered stream of PMs, each
/// as soon as the previous one arrived, across the change and the switch of path; every one must arrive exactly once
/// (a PM caught in the switch is retransmitted by the transport, or sent through the server with the same envelope and
/// dropped as a duplicate if both copies arrive).
/// </summary>
public sealed class LinkLabNatChangeTests
{
    /// <summary>Well over the relayed link's slowest re-introduction (every 30 s): a safety net that turns a link that
    /// never goes direct into a failure instead of a test that never ends. A bound in time, not in PMs sent: a count
    /// (5,000 before) shrank as PMs got faster, until a stream could end before the re-introduction that fixes it.</summary>
    private static readonly TimeSpan MaxStream = TimeSpan.FromSeconds(90);
    private const int AfterDirect = 10;

    [Fact]
    public async Task Scenario_9_a_relayed_link_goes_direct_when_a_NAT_changes_from_symmetric_to_cone_without_losing_a_PM()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await LinkLabTests.StartAsync("symsym");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        // Relayed, and the first checks have given up (the reason says no direct path answered).
        await LinkLabTests.RouteAsync(alice, "bob", "relay", e => e.TryGetProperty("reason", out _));
        await LinkLabTests.RouteAsync(bob, "alice", "relay");

        var sent = 0;
        async Task SendOneAsync()
        {
            var text = $"n {sent}";
            await alice.SendAsync($"/msg bob {text}");
            await bob.WaitForAsync("message", e => e.Is("from", "alice") && e.Is("text", text));
            sent++;
        }
        for (var i = 0; i < 5; i++) await SendOneAsync();   // over the relay, before the change

        await run.Lab.ChangeNatAsync(1, "cone", ct);
        // Both waits get the stream's whole bound: with the peer's default 30 s, a first re-introduction whose probing
        // found nothing (seen at load 65) ended the stream before the next one (20-30 s later) could go direct.
        var aliceDirect = LinkLabTests.RouteAsync(alice, "bob", "direct", within: MaxStream);
        var bobDirect = LinkLabTests.RouteAsync(bob, "alice", "direct", within: MaxStream);
        var streaming = System.Diagnostics.Stopwatch.StartNew();
        while (!(aliceDirect.IsCompleted && bobDirect.IsCompleted))
        {
            Assert.True(streaming.Elapsed < MaxStream, $"{sent} PMs sent in {MaxStream.TotalSeconds} s and the link is still not direct on both sides");
            await SendOneAsync();
        }
        var up = await aliceDirect;
        await bobDirect;
        for (var i = 0; i < AfterDirect; i++) await SendOneAsync();

        var received = bob.Events.Where(e => e.Is("event", "message") && e.Is("from", "alice")).Select(e => e.Str("text")).ToList();
        for (var i = 0; i < sent; i++) Assert.Equal(1, received.Count(t => t == $"n {i}"));
        Assert.Equal(sent, received.Count(t => t.StartsWith("n ", StringComparison.Ordinal)));
        var routes = bob.Events.Where(e => e.Is("event", "message") && e.Str("text").StartsWith("n ", StringComparison.Ordinal)).Select(e => e.Str("route")).ToList();
        Assert.Equal("relay", routes[0]);
        Assert.Equal("direct", routes[^1]);
        Assert.Equal(("udp", "probed"), (up.Str("transport"), up.Str("via")));   // router 2 is still symmetric
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }
}
