// The dead-connection timeout counts only the client's own silence: time the server spends on a command of the client's (a store write that waits) is not silence.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class SilenceTests
{
    [Fact]
    public async Task A_command_waiting_longer_than_the_timeout_for_the_store_does_not_close_the_session_for_silence()
    {
        var clock = new ManualTimeProvider();
        PausingStore append = null!;
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 30, clock, wrapStore: s =>
        {
            (var wrapped, append) = PausingStore.Wrap(s, nameof(IRendezvousStore.AppendOfflineMessageAsync));
            return wrapped;
        });
        var bob = await server.RegisteredAsync("bob");
        await using var alice = await server.SignedInAsync("alice");

        // A PM to bob (offline) is stored; the store is stuck for longer than the dead-connection timeout (under load a
        // commit queued behind thousands of others). Alice sends nothing meanwhile: she is waiting for her MSG_ACK.
        append.Arm();
        await alice.SendAsync(new MsgSend(bob, "stored"u8.ToArray(), 7, MessageFlags.None));
        await append.Reached;
        clock.Advance(TimeSpan.FromSeconds(45));
        append.Release();
        Assert.Equal(7u, (await alice.ExpectAsync<MsgAck>()).RequestId);
        await alice.SyncAsync();
        Assert.DoesNotContain(alice.Received, f => f is Status { Code: StatusCode.Timeout });

        // Really silent from now on: closed when the timeout has passed since her last frame.
        clock.Advance(TimeSpan.FromSeconds(29));
        await alice.SyncAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        var closed = await alice.ExpectClosedWithAsync(StatusCode.Timeout);
        Assert.Equal(0u, closed.Value);
    }
}
