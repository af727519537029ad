// End to end with real processes: how a headless peer ends — SIGTERM and end of input both sign off cleanly.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessLifecycleTests
{
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
        await alice.WaitForAsync("presence", e => e.Is("user", "bob") && e.Is("presence", "offline"));
    }
}
