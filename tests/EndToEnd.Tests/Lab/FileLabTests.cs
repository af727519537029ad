// A file transfer in the real namespace lab (scripts/netlab.sh): two peers behind two NATs, over a lossy path.
using P2PChat.EndToEnd.Tests.Files;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Lab;

/// <summary>
/// alice behind router 1 and bob behind router 2 (both cone NATs) link directly, then each router drops a random 0.5 %
/// of the packets it forwards (about 1 % on the path, each way) with iptables' statistic match: this kernel has no
/// sch_netem, so the lab cannot add delay, only loss. The folder must arrive intact.
/// </summary>
public sealed class FileLabTests
{
    [Fact]
    public async Task A_folder_moves_intact_between_peers_behind_two_NATs_over_a_lossy_path()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var run = await LinkLabTests.StartAsync("cone");
        var (alice, bob) = await run.FriendsAsync();
        await alice.SendAsync("/link bob");
        await LinkLabTests.RouteAsync(alice, "bob", "direct");
        await LinkLabTests.RouteAsync(bob, "alice", "direct");
        foreach (var router in new[] { "r1", "r2" })
        {
            var (code, output) = await run.Lab.ExecAsync(router, ["iptables", "-I", "FORWARD", "1", "-m", "statistic", "--mode", "random", "--probability", "0.005", "-j", "DROP"], ct);
            Assert.True(code == 0, $"iptables in {router}: {output}");
        }

        var folder = run.Temp.Combine("src", "lab");
        FilePeers.WriteRandom(Path.Combine(folder, "a.bin"), 6L << 20);
        FilePeers.WriteRandom(Path.Combine(folder, "sub", "b.bin"), 700_000);
        Directory.CreateDirectory(Path.Combine(folder, "empty"));
        var into = run.Temp.Combine("in");
        var id = await FilePeers.OfferAsync(alice, bob, folder);
        await bob.SendAsync($"/accept {id} {into}");
        var done = await FilePeers.WaitFileAsync(bob, "file_done", id, [alice, bob]);
        Assert.Equal(FilePeers.Tree(folder), FilePeers.Tree(done.Str("path")));
        await FilePeers.WaitFileAsync(alice, "file_done", id, [alice, bob]);

        var (_, counters) = await run.Lab.ExecAsync("r1", ["iptables", "-L", "FORWARD", "1", "-v", "-x", "-n"], ct);
        Assert.DoesNotMatch(@"^\s*0\s", counters); // the rule did drop packets
    }
}
