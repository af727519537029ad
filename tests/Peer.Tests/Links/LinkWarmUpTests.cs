// The link warm-up runs the real link path in the process: checks on loopback, transport, Noise XX, a PM each way, the events' JSON.
using P2PChat.Peer.Links;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class LinkWarmUpTests
{
    [Fact]
    public async Task The_in_memory_link_completes_every_step()
    {
        // Throws if any step fails: no path from the loopback checks, a handshake refused, a PM not taken.
        await LinkWarmUp.WarmAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Run_logs_what_it_compiled_and_never_throws()
    {
        var lines = new List<string>();
        await LinkWarmUp.RunAsync(line => { lock (lines) lines.Add(line); }, TestContext.Current.CancellationToken);
        await LinkWarmUp.RunAsync(line => { lock (lines) lines.Add(line); }, TestContext.Current.CancellationToken);
        // Once per process: the second call (and any a PeerLinks in another test made first) logs nothing.
        Assert.True(lines.Count <= 1);
        if (lines.Count == 1) Assert.Matches(@"^links: warmed up the link path in \d+ ms \(\d+ methods compiled, \d+ ms of JIT\)$", lines[0]);
    }
}
