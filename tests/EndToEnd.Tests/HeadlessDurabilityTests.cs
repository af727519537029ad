// End to end with real processes: offline messages the server accepted survive a SIGKILL and a restart.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessDurabilityTests
{
    [Fact]
    public async Task Offline_messages_accepted_before_a_sigkill_are_delivered_after_the_restart()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");
        await bob.QuitAsync();

        const int count = 5;
        for (var i = 1; i <= count; i++) await alice.SendAsync($"/msg bob kept {i}");
        for (var i = 1; i <= count; i++)
            Assert.True((await alice.WaitForAsync("sent", e => e.GetProperty("request_id").GetUInt32() == (uint)i)).Bool("stored_offline"));

        await cluster.RestartServerAsync(killFirst: true);
        await alice.WaitForAsync("disconnected");

        var bobAgain = await Cluster.SignedInAsync(cluster.Peer("bob"), "bob");
        var texts = bobAgain.Events.Where(e => e.Is("event", "message") && e.Bool("offline")).Select(e => e.Str("text"));
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"kept {i}"), texts);
    }
}
