// Direct links in the real namespace lab (scripts/netlab.sh): real NATs, a real p2pchat-rendezvous and two p2pchat --headless.
using P2PChat.EndToEnd.Tests.Links;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.NetLab.Real;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// The lab scenarios, each in its own lab (unique prefix): the server in the "internet" namespace on 11.0.0.1
/// (TCP 7777, STUN 3478/3479), alice behind router 1 (h1), bob behind router 2 (h2) or on alice's LAN (h3). They are
/// friends (so the default setting reveals their candidates), alice asks for a link, and the test checks the route.
/// Root and the lab's programs are needed: without them a test skips saying why, and under CI=true it fails.
/// </summary>
public sealed class LinkLabTests
{
    internal const string Stun = NetLabInstance.ServerAddress + ":3478";
    internal const string Stun2 = NetLabInstance.ServerAddress + ":3479";

    internal sealed class Run : IAsyncDisposable
    {
        public required NetLabInstance Lab { get; init; }
        public required ServerProcess Server { get; set; }
        public required TempDirectory Temp { get; init; }
        private readonly List<PeerProcess> _peers = [];

        /// <summary>P2PCHAT_LAB_PEER_ARGS (space-separated, e.g. <c>--tcp-links</c>): extra arguments for every lab peer,
        /// to loop the lab scenarios with an option that is not the default.</summary>
        private static readonly string[] ExtraPeerArgs =
            (Environment.GetEnvironmentVariable("P2PCHAT_LAB_PEER_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

        public PeerProcess Peer(string name, string node, params string[] args) =>
            PeerWithStun(name, node, [Stun, Stun2], args);

        /// <summary>A peer whose only STUN servers are <paramref name="stun"/> (<see cref="Peer"/> gives the lab's two).</summary>
        public PeerProcess PeerWithStun(string name, string node, IEnumerable<string> stun, params string[] args) =>
            PeerWith(name, node, stun, portMapping: false, args);

        /// <summary>A lab peer, asking its router for a port mapping only when <paramref name="portMapping"/>. The run
        /// owns it: it is stopped (and its logs kept, see <see cref="DisposeAsync"/>) with the run.</summary>
        public PeerProcess PeerWith(string name, string node, IEnumerable<string> stun, bool portMapping, params string[] args)
        {
            var peer = new PeerProcess(name, NetLabInstance.ServerAddress + ":7777", Temp.Combine(name),
                ["--server-fingerprint", Server.Fingerprint, .. portMapping ? Array.Empty<string>() : ["--no-port-mapping"],
                 .. stun.SelectMany(s => new[] { "--stun", s }), .. args, .. ExtraPeerArgs.Except(args)], launcher: Lab.In(node));
            _peers.Add(peer);
            return peer;
        }

        /// <summary>alice on <paramref name="aliceNode"/>, bob on <paramref name="bobNode"/>: registered, signed in with keys, friends.</summary>
        public async Task<(PeerProcess Alice, PeerProcess Bob)> FriendsAsync(string aliceNode = "h1", string bobNode = "h2")
        {
            var alice = await SignedUpAsync(Peer("alice", aliceNode));
            var bob = await SignedUpAsync(Peer("bob", bobNode));
            await HeadlessLinkTests.BefriendAsync(alice, bob);
            return (alice, bob);
        }

        /// <summary>Registers <paramref name="peer"/>, signs it in and waits for its prekeys to be published.</summary>
        internal static async Task<PeerProcess> SignedUpAsync(PeerProcess peer)
        {
            await peer.SendAsync($"/register {peer.Name} \"{Cluster.Password}\"");
            await peer.WaitForAsync("registered", e => e.Is("user", peer.Name));
            await Cluster.SignedInAsync(peer, peer.Name);
            await peer.WaitForAsync("status", e => e.Is("command", "prekeys"));
            return peer;
        }

        public async ValueTask DisposeAsync()
        {
            // P2PCHAT_TEST_LOGS=DIR: every run leaves its peers' events and stderr (with LINKS_TRACE-style "links:"
            // lines) in DIR/<time>-<pid>/, so a failure seen in a loop can be read afterwards.
            if (Environment.GetEnvironmentVariable("P2PCHAT_TEST_LOGS") is { Length: > 0 } logs)
            {
                var folder = Path.Combine(logs, $"{DateTime.UtcNow:HHmmss.fff}-{Environment.ProcessId}");
                foreach (var peer in _peers) peer.SaveLogs(folder);
            }
            foreach (var peer in _peers) await peer.DisposeAsync();
            await Server.DisposeAsync();
            await Lab.DisposeAsync();
            Temp.Dispose();
        }
    }

    internal static Task<Run> StartAsync(string scenario) => StartAsync(scenario, Stun + "," + Stun2);

    /// <summary>A lab whose server answers STUN on <paramref name="serverStun"/> (comma-separated, e.g. with an IPv6 one).</summary>
    internal static async Task<Run> StartAsync(string scenario, string serverStun)
    {
        var ct = TestContext.Current.CancellationToken;
        var lab = await NetLabInstance.StartAsync(scenario, ct);
        var temp = new TempDirectory("p2pchat-linklab");
        try
        {
            var server = await ServerProcess.StartAsync(temp.Combine("server"), NetLabInstance.ServerAddress + ":7777", ["--stun", serverStun], lab.In("inet"));
            return new Run { Lab = lab, Server = server, Temp = temp };
        }
        catch
        {
            await lab.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <param name="within">the safety net (default: the peer's 30 s).</param>
    internal static Task<System.Text.Json.JsonElement> RouteAsync(PeerProcess peer, string other, string route, Func<System.Text.Json.JsonElement, bool>? also = null, TimeSpan? within = null) =>
        peer.WaitForAsync("link", e => e.Is("peer", other) && e.Is("state", "up") && e.Is("route", route) && (also?.Invoke(e) ?? true), within: within);

    [Fact]
    public async Task Scenario_5_two_peers_on_one_LAN_link_directly_over_the_LAN()
    {
        await using var run = await StartAsync("lan");
        var (alice, bob) = await run.FriendsAsync("h1", "h3");
        await alice.SendAsync("/link bob");
        var up = await RouteAsync(alice, "bob", "direct");
        await RouteAsync(bob, "alice", "direct");
        Assert.Equal(("lan", 4), (up.Str("via"), up.Int("ip_version")));
    }

    [Fact]
    public async Task Scenario_1_both_behind_cone_NATs_link_directly_over_UDP()
    {
        await using var run = await StartAsync("cone");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        var up = await RouteAsync(alice, "bob", "direct");
        await RouteAsync(bob, "alice", "direct");
        Assert.Equal(("reflexive", "udp"), (up.Str("via"), up.Str("transport")));
    }

    [Fact]
    public async Task Scenario_2_both_behind_symmetric_NATs_stay_on_the_relay()
    {
        await using var run = await StartAsync("symsym");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        await RouteAsync(alice, "bob", "relay", e => e.TryGetProperty("reason", out _));
        await RouteAsync(bob, "alice", "relay");
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && (e.Is("route", "direct") || e.Is("state", "down")));
    }

    [Fact]
    public async Task Scenario_6_with_all_UDP_blocked_on_one_side_the_link_runs_over_the_relay_on_TLS()
    {
        await using var run = await StartAsync("udpblock");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        await RouteAsync(alice, "bob", "relay", e => e.TryGetProperty("reason", out _));
        await RouteAsync(bob, "alice", "relay");
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && (e.Is("route", "direct") || e.Is("state", "down")));
    }

    [Fact]
    public async Task Scenario_10_when_the_rendezvous_server_is_killed_two_linked_peers_keep_exchanging_PMs()
    {
        await using var run = await StartAsync("cone");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        await RouteAsync(alice, "bob", "direct");
        await RouteAsync(bob, "alice", "direct");
        // A first PM each way sets up the end-to-end sessions (their keys come from the server, while it is up).
        await alice.SendAsync("/msg bob hi");
        await bob.WaitForAsync("message", e => e.Is("text", "hi"));
        await bob.SendAsync("/msg alice hi");
        await alice.WaitForAsync("message", e => e.Is("text", "hi"));

        await run.Server.KillAsync();
        await alice.WaitForAsync("disconnected");
        await bob.WaitForAsync("disconnected");

        for (var i = 0; i < 5; i++)
        {
            await alice.SendAsync($"/msg bob still here {i}");
            var m = await bob.WaitForAsync("message", e => e.Is("text", $"still here {i}"));
            Assert.Equal("direct", m.Str("route"));
            await bob.SendAsync($"/msg alice me too {i}");
            Assert.Equal("direct", (await alice.WaitForAsync("message", e => e.Is("text", $"me too {i}"))).Str("route"));
        }
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }
}
