// /nat in the real namespace lab (scripts/netlab.sh): real iptables NATs, miniupnpd, coturn, a real server and peer.
using System.Text.Json;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.NetLab.Real;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// Each test builds its own lab (unique prefix), starts p2pchat-rendezvous in the "internet" namespace on 11.0.0.1
/// (TCP 7777, STUN on UDP 3478 and 3479) and p2pchat --headless on host 1 behind router 1, sends /nat and checks the
/// event against what the lab is. The tests of one class run one after another (xUnit), so at most one lab at a time.
/// </summary>
public sealed class NatLabTests
{
    private const string Stun1 = NetLabInstance.ServerAddress + ":3478";
    private const string Stun2 = NetLabInstance.ServerAddress + ":3479";

    private sealed class Run : IAsyncDisposable
    {
        public required NetLabInstance Lab { get; init; }
        public required ServerProcess Server { get; init; }
        public required TempDirectory Temp { get; init; }

        public PeerProcess Peer(string name, params string[] args) => new(name, NetLabInstance.ServerAddress + ":7777", Temp.Combine(name),
            ["--server-fingerprint", Server.Fingerprint, .. args], launcher: Lab.In("h1"));

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Lab.DisposeAsync();
            Temp.Dispose();
        }
    }

    private static async Task<Run> StartAsync(string scenario, string stun = Stun1 + "," + Stun2)
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = await NetLabInstance.StartAsync(scenario, ct);
        var temp = new TempDirectory("p2pchat-lab");
        try
        {
            var server = await ServerProcess.StartAsync(temp.Combine("server"), NetLabInstance.ServerAddress + ":7777", ["--stun", stun], lab.In("inet"));
            return new Run { Lab = lab, Server = server, Temp = temp };
        }
        catch
        {
            await lab.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    private static async Task<JsonElement> NatAsync(PeerProcess peer, int skip = 0)
    {
        await peer.SendAsync("/nat");
        return await peer.WaitForAsync("nat", skip: skip);
    }

    private static string Local(JsonElement nat) => nat.GetProperty("local").GetString()!.Split(':')[1];

    [Fact]
    public async Task Behind_a_cone_NAT_nat_reports_endpoint_independent_mapping_and_the_routers_address()
    {
        await using var run = await StartAsync("cone");
        await using var peer = run.Peer("ann", "--no-port-mapping", "--stun", Stun1, "--stun", Stun2);
        var nat = await NatAsync(peer);
        Assert.Equal("endpoint_independent", nat.GetProperty("mapping").GetString());
        Assert.Equal($"{NetLabInstance.Router1Wan}:{Local(nat)}", nat.GetProperty("reflexive").GetString());   // MASQUERADE keeps the port
        Assert.True(nat.GetProperty("port_preserved").GetBoolean());
        Assert.Contains(nat.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("kind").GetString() == "lan"
            && c.GetProperty("address").GetString() == $"{NetLabInstance.Host1}:{Local(nat)}");
        await peer.QuitAsync();
    }

    [Fact]
    public async Task Behind_masquerade_random_fully_nat_reports_address_and_port_dependent_mapping()
    {
        await using var run = await StartAsync("symmetric");
        await using var peer = run.Peer("bob", "--no-port-mapping", "--stun", Stun1, "--stun", Stun2);
        var nat = await NatAsync(peer);
        Assert.Equal("address_and_port_dependent", nat.GetProperty("mapping").GetString());
        Assert.StartsWith(NetLabInstance.Router1Wan + ":", nat.GetProperty("reflexive").GetString());
        var seen = nat.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("reflexive").GetString()).ToList();
        Assert.Equal(2, seen.Distinct().Count());
        await peer.QuitAsync();
    }

    [Fact]
    public async Task Discovery_against_coturn_gives_the_same_answer_as_against_the_rendezvous_server()
    {
        await using var run = await StartAsync("cone");
        await run.Lab.StartCoturnAsync(TestContext.Current.CancellationToken, 3490, 3491);
        await using var viaServer = run.Peer("cy", "--no-port-mapping", "--stun", Stun1, "--stun", Stun2);
        await using var viaCoturn = run.Peer("di", "--no-port-mapping", "--stun", NetLabInstance.ServerAddress + ":3490", "--stun", NetLabInstance.ServerAddress + ":3491");
        var a = await NatAsync(viaServer);
        var b = await NatAsync(viaCoturn);
        Assert.Equal("endpoint_independent", b.GetProperty("mapping").GetString());
        Assert.Equal(a.GetProperty("mapping").GetString(), b.GetProperty("mapping").GetString());
        Assert.Equal($"{NetLabInstance.Router1Wan}:{Local(b)}", b.GetProperty("reflexive").GetString());
        Assert.Equal(a.GetProperty("port_preserved").GetBoolean(), b.GetProperty("port_preserved").GetBoolean());
        Assert.All(b.GetProperty("servers").EnumerateArray(), s => Assert.False(s.TryGetProperty("error", out _)));
        await viaServer.QuitAsync();
        await viaCoturn.QuitAsync();
    }

    [Fact]
    public async Task Behind_miniupnpd_a_UPnP_mapping_is_made_listed_by_upnpc_renewed_and_removed_on_exit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await StartAsync("upnp");
        await using var peer = run.Peer("ed", "--stun", Stun1, "--stun", Stun2, "--port-mapping-lifetime", "4");
        var nat = await NatAsync(peer);
        Assert.Equal("upnp", nat.GetProperty("port_mapping").GetString());
        var mapped = nat.GetProperty("mapped_address").GetString()!;
        var port = mapped.Split(':')[1];
        Assert.Equal($"{NetLabInstance.Router1Wan}:{Local(nat)}", mapped);
        Assert.Equal("mapped", nat.GetProperty("candidates")[0].GetProperty("kind").GetString());

        var (_, listed) = await run.Lab.ExecAsync("h1", ["upnpc", "-l"], ct);
        Assert.Contains($"UDP {port}->{NetLabInstance.Host1}:{Local(nat)}", listed);
        await peer.WaitForStderrAsync("renewed " + mapped);   // half of the 4 s lease

        await peer.QuitAsync();
        await peer.WaitForStderrAsync("released " + mapped);
        (_, listed) = await run.Lab.ExecAsync("h1", ["upnpc", "-l"], ct);
        Assert.DoesNotContain($"UDP {port}->", listed);
    }

    [Fact]
    public async Task With_UPnP_disabled_miniupnpd_gives_a_PCP_mapping_that_is_renewed_and_removed_on_SIGTERM()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await StartAsync("pmp");
        await using var peer = run.Peer("flo", "--stun", Stun1, "--stun", Stun2, "--port-mapping-lifetime", "4");
        var nat = await NatAsync(peer);
        Assert.Equal("pcp", nat.GetProperty("port_mapping").GetString());
        var mapped = nat.GetProperty("mapped_address").GetString()!;
        Assert.StartsWith(NetLabInstance.Router1Wan + ":", mapped);
        var port = mapped.Split(':')[1];
        Assert.Contains($"dport {port}", await RulesAsync(run.Lab, ct));
        await peer.WaitForStderrAsync("renewed " + mapped);

        Assert.Equal(0, await peer.TerminateAsync());
        Assert.DoesNotContain($"dport {port}", await RulesAsync(run.Lab, ct));
    }

    [Fact]
    public async Task NAT_PMP_alone_maps_through_miniupnpd_renews_and_releases_on_quit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await StartAsync("pmp");
        await using var peer = run.Peer("hal", "--stun", Stun1, "--stun", Stun2, "--port-mapping-lifetime", "4", "--port-mapping-protocol", "nat-pmp");
        var nat = await NatAsync(peer);
        Assert.Equal("nat_pmp", nat.GetProperty("port_mapping").GetString());
        var mapped = nat.GetProperty("mapped_address").GetString()!;
        Assert.Equal($"{NetLabInstance.Router1Wan}:{Local(nat)}", mapped);
        var port = mapped.Split(':')[1];
        Assert.Contains($"dport {port}", await RulesAsync(run.Lab, ct));
        await peer.WaitForStderrAsync("renewed " + mapped);
        await peer.QuitAsync();
        await peer.WaitForStderrAsync("released " + mapped);
        Assert.DoesNotContain($"dport {port}", await RulesAsync(run.Lab, ct));
    }

    [Fact]
    public async Task An_IPv6_host_reports_its_global_address_and_no_IPv6_NAT()
    {
        await using var run = await StartAsync("v6", $"{Stun1},{Stun2},[{NetLabInstance.ServerAddress6}]:3478");
        await using var peer = run.Peer("gus", "--no-port-mapping", "--stun", Stun1, "--stun", Stun2, "--stun", $"[{NetLabInstance.ServerAddress6}]:3478");
        var nat = await NatAsync(peer);
        Assert.Equal("endpoint_independent", nat.GetProperty("mapping").GetString());
        Assert.Contains(NetLabInstance.Host1Ipv6, nat.GetProperty("ipv6").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("no_nat", nat.GetProperty("ipv6_mapping").GetString());
        Assert.StartsWith($"[{NetLabInstance.Host1Ipv6}]:", nat.GetProperty("ipv6_reflexive").GetString());
        Assert.Contains(nat.GetProperty("candidates").EnumerateArray(), c => c.GetProperty("kind").GetString() == "ipv6");
        await peer.QuitAsync();
    }

    /// <summary>The port forwards miniupnpd holds, as nft rules in its table of router 1.</summary>
    private static async Task<string> RulesAsync(NetLabInstance lab, CancellationToken ct) =>
        (await lab.ExecAsync("r1", ["nft", "list", "table", "inet", "miniupnpd"], ct)).Output;
}
