// The real p2pchat-rendezvous executable: offline PMs survive SIGKILL, SIGTERM says goodbye with STATUS 27.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Hosting;

public sealed class ProgramTests
{
    [Fact]
    public async Task Offline_pms_acknowledged_before_a_SIGKILL_are_delivered_after_restart()
    {
        Require.That(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs POSIX signals");
        using var data = new TempDirectory("p2pchat-sigkill");
        var acks = new List<MsgAck>();
        string fingerprint;
        await using (var server = await RendezvousProcess.StartAsync(data.Path))
        {
            fingerprint = server.Fingerprint;
            await using var alice = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);
            var bob = (await alice.RegisterAsync("bob")).Subject;
            await alice.RegisterAndSignInAsync("alice");
            for (var i = 0; i < 10; i++) acks.Add(await alice.MessageAsync(bob, $"pm {i}"));
            Assert.All(acks, a => Assert.Equal(MessageFlags.Offline, a.Flags));
            await server.KillAsync();                   // right after the last MSG_ACK
        }

        await using var restarted = await RendezvousProcess.StartAsync(data.Path);
        Assert.Equal(fingerprint, restarted.Fingerprint);
        await using var bobClient = await TestClient.ConnectAsync(restarted.Endpoint, restarted.Fingerprint);
        var burst = await bobClient.SignInAsync("bob");
        var msgs = burst.OfType<MsgDeliver>().ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"pm {i}"), msgs.Select(TestClient.Text));
        Assert.Equal(acks.Select(a => (a.MessageId, a.SentAtMs)), msgs.Select(m => (m.MessageId, m.SentAtMs)));
    }

    [Fact]
    public async Task SIGTERM_tells_sessions_the_server_is_going_down_and_exits_cleanly()
    {
        Require.That(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "needs POSIX signals");
        using var data = new TempDirectory("p2pchat-sigterm");
        await using var server = await RendezvousProcess.StartAsync(data.Path);
        await using var alice = await TestClient.ConnectAsync(server.Endpoint, server.Fingerprint);
        await alice.RegisterAndSignInAsync("alice");
        var exit = server.TerminateAsync();
        await alice.ExpectClosedWithAsync(StatusCode.ServerShuttingDown);
        Assert.Equal(0, await exit);
    }
}
