// /nat with a real p2pchat-rendezvous and p2pchat --headless on loopback: the server's STUN answers, the peer reports no NAT.
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Nat;

public sealed class HeadlessNatTests
{
    [Fact]
    public async Task Nat_on_loopback_reports_no_NAT_and_the_reflexive_address_from_both_stun_ports()
    {
        using var temp = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(Path.Combine(temp.Path, "server"), extraArgs: ["--stun", "127.0.0.1:0,127.0.0.1:0"]);
        Assert.Equal(2, server.StunEndpoints.Count);
        await using var peer = new PeerProcess("ann", server.Address, Path.Combine(temp.Path, "ann"),
            ["--server-fingerprint", server.Fingerprint, "--no-port-mapping", "--stun", server.StunEndpoints[0], "--stun", server.StunEndpoints[1]]);
        await peer.SendAsync("/nat");
        var nat = await peer.WaitForAsync("nat");
        Assert.Equal("no_nat", nat.GetProperty("mapping").GetString());
        var reflexive = nat.GetProperty("reflexive").GetString()!;
        Assert.StartsWith("127.0.0.1:", reflexive);
        Assert.EndsWith(":" + nat.GetProperty("local").GetString()!.Split(':')[1], reflexive);
        Assert.All(nat.GetProperty("servers").EnumerateArray(), s => Assert.Equal(reflexive, s.GetProperty("reflexive").GetString()));
        Assert.False(nat.TryGetProperty("port_mapping", out _));
        await peer.QuitAsync();
    }

    [Fact]
    public async Task Without_stun_options_both_sides_default_to_the_server_port_and_the_next()
    {
        using var temp = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(Path.Combine(temp.Path, "server"));
        var port = int.Parse(server.Address.Split(':')[^1]);
        Require.That(server.StunEndpoints.SequenceEqual([$"127.0.0.1:{port}", $"127.0.0.1:{port + 1}"]), $"UDP ports {port}/{port + 1} were free ({string.Join(' ', server.StunEndpoints)})");
        await using var peer = new PeerProcess("bob", server.Address, Path.Combine(temp.Path, "bob"), ["--server-fingerprint", server.Fingerprint, "--no-port-mapping"]);
        await peer.SendAsync("/nat");
        var nat = await peer.WaitForAsync("nat");
        Assert.Equal("no_nat", nat.GetProperty("mapping").GetString());
        Assert.Equal(2, nat.GetProperty("servers").GetArrayLength());
        await peer.QuitAsync();
    }

    [Fact]
    public async Task A_stun_server_that_never_answers_is_reported_not_fatal()
    {
        using var temp = new TempDirectory();
        await using var server = await ServerProcess.StartAsync(Path.Combine(temp.Path, "server"), extraArgs: ["--stun", "off"]);
        await using var peer = new PeerProcess("cy", server.Address, Path.Combine(temp.Path, "cy"),
            ["--server-fingerprint", server.Fingerprint, "--no-port-mapping", "--stun", "127.0.0.1:9"]);
        await peer.SendAsync("/nat");
        var nat = await peer.WaitForAsync("nat");
        Assert.Equal("unknown", nat.GetProperty("mapping").GetString());
        Assert.Contains("no answer", nat.GetProperty("servers")[0].GetProperty("error").GetString());
        await peer.SendAsync("/nat nonsense");
        var error = await peer.WaitForAsync("error", e => e.GetProperty("command").GetString() == "nat");
        Assert.Equal(101, error.GetProperty("code").GetInt32());
        await peer.QuitAsync();
    }
}
