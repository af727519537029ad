// End to end with real processes: how a headless peer ends — SIGTERM and end of input both sign off cleanly.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessLifecycleTests
{
    [Fact]
    public async Task Login_at_start_registers_the_account_the_first_time_only()
    {
        await using var cluster = await Cluster.StartAsync();
        var environment = new Dictionary<string, string> { ["P2PCHAT_PASSWORD"] = Cluster.Password };
        string[] args = ["--login", "carol", "--register-if-missing"];

        var first = cluster.Peer("carol", args, environment);
        await first.WaitForAsync("signed_in", e => e.Is("user", "carol"));
        Assert.Single(first.Events, e => e.Is("event", "registered"));
        await first.QuitAsync();

        var second = cluster.Peer("carol", args, environment);
        await second.WaitForAsync("signed_in", e => e.Is("user", "carol"));
        Assert.DoesNotContain(second.Events, e => e.Is("event", "registered"));
        Assert.DoesNotContain(first.Events.Concat(second.Events), e => e.Is("event", "error"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Sigterm_or_end_of_input_signs_off_and_exits_with_0(bool sigterm)
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");

        Assert.Equal(0, sigterm ? await bob.TerminateAsync() : await bob.CloseInputAsync());
        Assert.Equal("quit", (await bob.WaitForAsync("disconnected")).Str("reason"));
        await alice.WaitForPresenceAsync("bob", "offline");
    }
}
