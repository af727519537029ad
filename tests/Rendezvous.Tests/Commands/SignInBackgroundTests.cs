// Sign-in runs beside the read loop: PINGs are answered meanwhile and a sign-in the server is slow to finish is never
// closed for silence (injected clock).
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Storage;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Commands;

public sealed class SignInBackgroundTests
{
    [Fact]
    public async Task A_sign_in_held_up_by_the_server_still_answers_pings_and_outlives_the_heartbeat_timeout()
    {
        var clock = new ManualTimeProvider();
        PausingStore pausing = null!;
        await using var server = await TestServer.StartAsync(o => o.HeartbeatTimeoutSeconds = 30, clock, wrapStore: s =>
        {
            (var store, pausing) = PausingStore.Wrap(s, nameof(IRendezvousStore.ListFriendsAsync));
            return store;
        });
        await server.RegisteredAsync("alice");
        await using var alice = await server.ConnectAsync();
        pausing.Arm();
        await alice.SendAsync(new Iam("alice", "password1"));
        await pausing.Reached;                          // the sign-in is stuck in the server

        await alice.SyncAsync();                        // PING answered: the read loop is free
        clock.Advance(TimeSpan.FromMinutes(5));         // far beyond the 30 s timeout: the server owes us, we are not silent
        await alice.SyncAsync();
        pausing.Release();
        await alice.ExpectStatusAsync(StatusCode.AuthOk);

        clock.Advance(TimeSpan.FromSeconds(30));        // once signed in, silence counts again
        await alice.ExpectClosedWithAsync(StatusCode.Timeout);
    }

    [Fact]
    // One hash slot, no queue, and the slot held by the test: every sign-in that arrives meanwhile is told to retry
    // (STATUS 36) and stays open; once the slot is free, retrying signs in. No hash speed is assumed.
    public async Task A_full_admission_queue_answers_STATUS_36_with_a_delay_within_the_heartbeat_interval()
    {
        await using var server = await TestServer.StartAsync(o => { o.SignInConcurrency = 1; o.SignInQueueLimit = 0; });
        await server.RegisteredAsync("alice");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = server.Server.HashQueue.RunAsync(() => { running.SetResult(); release.Task.Wait(); return 0; }, TestContext.Current.CancellationToken);
        await running.Task;
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 3; i++) clients.Add(await server.ConnectAsync());
            foreach (var c in clients) await c.SendAsync(new Iam("alice", "password1"));
            foreach (var c in clients)
            {
                var answer = await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Iam);
                Assert.Equal(StatusCode.RetryLater, answer.Code);
                Assert.InRange(answer.Value, 250u, 10_000u);    // at least the floor, within the heartbeat interval
                await c.SyncAsync();                            // still open: it may simply try again
            }

            release.SetResult();
            Assert.True((await holder).Ran);
            await clients[0].SendAsync(new Iam("alice", "password1"));
            await clients[0].ExpectStatusAsync(StatusCode.AuthOk);
        }
        finally
        {
            release.TrySetResult();
            foreach (var c in clients) await c.DisposeAsync();
        }
    }
}
