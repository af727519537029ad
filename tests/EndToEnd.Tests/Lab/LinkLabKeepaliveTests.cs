// Lab scenario 8: with the NATs' UDP conntrack timeouts shortened, an idle direct link survives on keepalives.
using System.Text.RegularExpressions;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.NetLab.Real;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// The <c>cone</c> lab with both routers' UDP conntrack timeouts (unreplied and stream, per network namespace) cut from
/// Linux's 30 s / 120 s to <see cref="UdpTimeoutSeconds"/>. Once the link is direct and a PM has gone each way, nobody
/// sends anything; the test waits — on the routers' own clocks, not its own — until the conntrack entry that carries the
/// link through each NAT (the peer's link socket to the other router's address) has lived
/// <see cref="IdleTimeouts"/> whole timeouts past the last PM, with the same conntrack id: the binding was never
/// recreated, so keepalives refreshed it every time before it expired. Then PMs still go direct both ways, and no
/// <c>link</c> event (down, or back to the relay) came in between. The idle period is real wall time (the NAT's timer
/// cannot be faked); the timeout is short so that several of them fit in under a minute.
/// </summary>
public sealed partial class LinkLabKeepaliveTests
{
    /// <summary>Short enough that the idle wait spans several expiries; at or above the link engine's first keepalive
    /// interval (10 s, before any binding lifetime is measured) plus margin, so the test asks for keepalives that follow
    /// the NAT, not for a guess below every NAT's timeout.</summary>
    private const int UdpTimeoutSeconds = 12;
    private const int IdleTimeouts = 4;

    private sealed record Binding(string Id, int Age, int Remaining);

    [Fact]
    public async Task Scenario_8_with_short_conntrack_timeouts_an_idle_direct_link_survives_on_keepalives()
    {
        var ct = TestContext.Current.CancellationToken;
        Require.That(Require.HasProgram("conntrack"), "conntrack is not installed (scripts/install-test-deps.sh)");
        await using var run = await LinkLabTests.StartAsync("cone");
        foreach (var router in new[] { "r1", "r2" })
        {
            var (code, output) = await run.Lab.ExecAsync(router, ["sysctl", "-w",
                $"net.netfilter.nf_conntrack_udp_timeout={UdpTimeoutSeconds}",
                $"net.netfilter.nf_conntrack_udp_timeout_stream={UdpTimeoutSeconds}",
                "net.netfilter.nf_conntrack_timestamp=1"], ct);
            Require.That(code == 0, $"this kernel does not take per-namespace conntrack timeouts ({output.Trim()})");
        }
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        await LinkLabTests.RouteAsync(alice, "bob", "direct");
        await LinkLabTests.RouteAsync(bob, "alice", "direct");
        var alicePort = await LinkPortAsync(alice);
        var bobPort = await LinkPortAsync(bob);

        await alice.SendAsync("/msg bob before the quiet");
        Assert.Equal("direct", (await bob.WaitForAsync("message", e => e.Is("text", "before the quiet"))).Str("route"));
        await bob.SendAsync("/msg alice me too");
        Assert.Equal("direct", (await alice.WaitForAsync("message", e => e.Is("text", "me too"))).Str("route"));
        var linkEventsBefore = LinkEvents(alice) + LinkEvents(bob);

        // Idle from here. The bindings that carry the link through each NAT, as they are now:
        var r1 = await BindingAsync(run.Lab, "r1", NetLabInstance.Host1, alicePort, "11.1.2.2", bobPort, ct);
        var r2 = await BindingAsync(run.Lab, "r2", "192.168.2.10", bobPort, NetLabInstance.Router1Wan, alicePort, ct);
        Assert.True(r1 is not null, "no conntrack entry carries the link through router 1");
        Assert.True(r2 is not null, "no conntrack entry carries the link through router 2");
        var maxRemaining = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(UdpTimeoutSeconds * (IdleTimeouts + 3)));
        while (true)
        {
            var now1 = await BindingAsync(run.Lab, "r1", NetLabInstance.Host1, alicePort, "11.1.2.2", bobPort, ct);
            var now2 = await BindingAsync(run.Lab, "r2", "192.168.2.10", bobPort, NetLabInstance.Router1Wan, alicePort, ct);
            Assert.True(now1?.Id == r1!.Id, $"router 1's binding for the link expired or was recreated during the idle period (was id {r1.Id}, now {now1?.Id ?? "gone"})");
            Assert.True(now2?.Id == r2!.Id, $"router 2's binding for the link expired or was recreated during the idle period (was id {r2.Id}, now {now2?.Id ?? "gone"})");
            maxRemaining = Math.Max(maxRemaining, Math.Max(now1!.Remaining, now2!.Remaining));
            if (now1.Age >= r1.Age + UdpTimeoutSeconds * IdleTimeouts && now2.Age >= r2.Age + UdpTimeoutSeconds * IdleTimeouts) break;
            Assert.False(deadline.IsCancellationRequested, "the routers' conntrack clocks did not advance as expected");
            // A bounded poll of the routers' state (the condition is the kernel's age of the entry), not a timed wait.
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        Assert.InRange(maxRemaining, 1, UdpTimeoutSeconds);   // the short timeout really applied to the link's flows
        Assert.Equal(linkEventsBefore, LinkEvents(alice) + LinkEvents(bob));

        await alice.SendAsync("/msg bob after the quiet");
        Assert.Equal("direct", (await bob.WaitForAsync("message", e => e.Is("text", "after the quiet"))).Str("route"));
        await bob.SendAsync("/msg alice still direct");
        Assert.Equal("direct", (await alice.WaitForAsync("message", e => e.Is("text", "still direct"))).Str("route"));
        Assert.DoesNotContain(alice.Events.Concat(bob.Events), e => e.Is("event", "link") && e.Is("state", "down"));
    }

    private static int LinkEvents(PeerProcess peer) => peer.Events.Count(e => e.Is("event", "link"));

    /// <summary>The local port of the peer's link socket (the one its candidates and checks use), from /nat.</summary>
    private static async Task<int> LinkPortAsync(PeerProcess peer)
    {
        await peer.SendAsync("/nat");
        var nat = await peer.WaitForAsync("nat");
        return int.Parse(nat.Str("local").Split(':')[^1]);
    }

    /// <summary>The UDP entry from <paramref name="host"/>:<paramref name="port"/> to <paramref name="to"/>:<paramref name="toPort"/>
    /// that has seen replies, in <paramref name="router"/>'s conntrack table, or null when there is none. Both ends are
    /// the link sockets (the cone NATs keep ports), so the binding-lifetime test's spare sockets, whose entries are
    /// meant to expire, are not mistaken for the link's.</summary>
    private static async Task<Binding?> BindingAsync(NetLabInstance lab, string router, string host, int port, string to, int toPort, CancellationToken ct)
    {
        var (code, output) = await lab.ExecAsync(router, ["conntrack", "-L", "-p", "udp", "--orig-src", host, "--orig-dst", to,
            "--sport", port.ToString(), "--dport", toPort.ToString(), "-o", "ktimestamp,id"], ct);
        Assert.True(code == 0, $"conntrack -L in {router} failed: {output}");
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("[UNREPLIED]")) continue;
            var m = EntryLine().Match(line);
            if (m.Success) return new Binding(m.Groups["id"].Value, int.Parse(m.Groups["age"].Value), int.Parse(m.Groups["left"].Value));
        }
        return null;
    }

    // udp 17 11 src=... [ASSURED] ... delta-time=37 [start=...] use=1 id=123
    [GeneratedRegex(@"^udp\s+17\s+(?<left>\d+)\s.*delta-time=(?<age>\d+).*\sid=(?<id>\d+)")]
    private static partial Regex EntryLine();
}
