// Options: safe defaults, and the command-line switches landing on the right settings.
using Microsoft.Extensions.Configuration;
using P2PChat.Rendezvous.Configuration;
using P2PChat.Rendezvous.Hosting;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Configuration;

public sealed class RendezvousOptionsTests
{
    [Fact]
    public void Defaults_follow_the_seed_and_the_password_policy()
    {
        var o = new RendezvousOptions();
        Assert.True(o.PasswordMemoryKib >= 19 * 1024 && o.PasswordPasses >= 2);
        Assert.Equal(("127.0.0.1:7777", "./rendezvous-data"), (o.Listen, o.DataDirectory));
        Assert.Equal((5, 420), (o.MaxFailedLogins, o.LoginBlockSeconds));
        Assert.Equal((10, 5, 60), (o.MaxCommandsPerWindow, o.CommandWindowSeconds, o.CommandPenaltySeconds));
        Assert.Equal((8, 30, 65_536), (o.MaxConnectionsPerAddress, o.HeartbeatTimeoutSeconds, o.MaxFrameSize));
    }

    [Fact]
    public void Command_line_switches_bind_to_the_options()
    {
        string[] args = ["--listen", "0.0.0.0:9000", "--data", "/srv/chat", "--admins", "alice, bob", "--max-frame", "1024",
            "--heartbeat-timeout", "12", "--max-connections", "3"];
        var config = new ConfigurationBuilder().AddCommandLine(args, CommandLineSwitches.Map.ToDictionary()).Build();
        var o = config.GetSection(RendezvousOptions.Section).Get<RendezvousOptions>()!;
        Assert.Equal(("0.0.0.0:9000", "/srv/chat", 1024, 12, 3), (o.Listen, o.DataDirectory, o.MaxFrameSize, o.HeartbeatTimeoutSeconds, o.MaxConnectionsPerAddress));
        Assert.True(o.AdminNames().SetEquals(["ALICE", "bob"]));
    }

    [Fact]
    public void The_shipped_appsettings_match_the_defaults()
    {
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var shipped = config.GetSection(RendezvousOptions.Section).Get<RendezvousOptions>()!;
        var defaults = new RendezvousOptions();
        foreach (var p in typeof(RendezvousOptions).GetProperties())
            Assert.Equal(p.GetValue(defaults), p.GetValue(shipped));
    }
}
