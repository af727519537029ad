// End to end with real processes: ignore, nickname and presence changes, and an admin's kick and ban.
using P2PChat.EndToEnd.Tests.Processes;
using Xunit;

namespace P2PChat.EndToEnd.Tests;

public sealed class HeadlessModerationTests
{
    [Fact]
    public async Task Ignored_messages_are_dropped_silently_and_flow_again_after_unignore()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");

        await bob.SendAsync("/ignore alice");
        await bob.WaitForAsync("status", e => e.Is("command", "ignore") && e.Int("code") == 18);
        await alice.SendAsync("/msg bob you will not see this");
        Assert.False((await alice.WaitForAsync("sent")).Bool("stored_offline"));

        await bob.SendAsync("/unignore alice");
        await bob.WaitForAsync("status", e => e.Is("command", "unignore") && e.Int("code") == 18);
        await alice.SendAsync("/msg bob now you do");
        Assert.Equal("now you do", (await bob.WaitForAsync("message")).Str("text"));
        Assert.Single(bob.Events, e => e.Is("event", "message"));
    }

    [Fact]
    public async Task Nickname_and_away_changes_reach_others_under_the_same_tag()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");
        var tag = (await alice.WaitForAsync("signed_in")).GetProperty("tag").GetUInt32();

        await alice.SendAsync("/nick Ally");
        var renamed = await bob.WaitForAsync("user", e => e.Is("nickname", "Ally"));
        Assert.Equal(tag, renamed.GetProperty("tag").GetUInt32());
        Assert.Equal("alice", renamed.Str("user"));

        await alice.SendAsync("/away out for lunch");
        await bob.WaitForAsync("presence", e => e.Is("user", "alice") && e.Is("presence", "away") && e.Is("text", "out for lunch"));
        await alice.SendAsync("/away");
        await bob.WaitForAsync("presence", e => e.Is("user", "alice") && e.Is("presence", "online"));
    }

    [Fact]
    public async Task Operators_set_the_topic_and_kick_from_a_channel()
    {
        await using var cluster = await Cluster.StartAsync();
        var alice = await cluster.SignedUpAsync("alice");
        var bob = await cluster.SignedUpAsync("bob");
        await alice.SendAsync("/create #ops");
        await alice.WaitForAsync("joined", e => e.Is("channel", "#ops"));
        await bob.SendAsync("/join #ops");
        await alice.WaitForAsync("joined", e => e.Is("channel", "#ops") && e.Is("user", "bob"));

        await bob.SendAsync("/topic #ops mine now");
        Assert.Equal(22, (await bob.WaitForAsync("error", e => e.Is("command", "topic"))).Int("code"));
        await alice.SendAsync("/topic #ops all about ops");
        var channel = await bob.WaitForAsync("channel", e => e.Is("channel", "#ops") && e.Is("topic", "all about ops"));
        Assert.False(channel.Bool("operator"));

        await alice.SendAsync("/kick bob #ops");
        var kicked = await bob.WaitForAsync("left", e => e.Is("channel", "#ops") && e.Is("user", "bob"));
        Assert.True(kicked.Bool("kicked"));
        Assert.Equal("alice", kicked.Str("by"));
        await bob.SendAsync("/msg #ops still here?");
        Assert.Equal(31, (await bob.WaitForAsync("error", e => e.Is("command", "msg"))).Int("code"));
    }

    [Fact]
    public async Task The_first_account_is_admin_and_can_kick_and_ban()
    {
        await using var cluster = await Cluster.StartAsync();
        var admin = await cluster.SignedUpAsync("admin");
        Assert.True((await admin.WaitForAsync("signed_in")).Bool("admin"));
        var bob = await cluster.SignedUpAsync("bob");
        Assert.False((await bob.WaitForAsync("signed_in")).Bool("admin"));

        await bob.SendAsync("/kick admin");
        Assert.Equal(22, (await bob.WaitForAsync("error", e => e.Is("command", "kick"))).Int("code"));

        await admin.SendAsync("/kick bob");
        Assert.Equal("admin", (await bob.WaitForAsync("kicked")).Str("by"));
        Assert.Equal(16, (await bob.WaitForAsync("disconnected")).Int("code"));

        await admin.SendAsync("/ban bob 10");
        await admin.WaitForAsync("status", e => e.Is("command", "ban") && e.Int("code") == 18);
        await bob.SendAsync($"/login bob \"{Cluster.Password}\"");
        Assert.Equal(23, (await bob.WaitForAsync("error", e => e.Is("command", "login"))).Int("code"));

        await admin.SendAsync("/ban bob 0");
        await admin.WaitForAsync("status", e => e.Is("command", "ban") && e.Int("code") == 18, skip: 1);
        await Cluster.SignedInAsync(bob, "bob");
    }
}
