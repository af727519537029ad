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
    // One hash slot, no queue, and a hash of a few seconds: the other five sign-ins arrive while it runs.
    public async Task A_full_admission_queue_answers_STATUS_36_with_a_delay_within_the_heartbeat_interval()
    {
        await using var server = await TestServer.StartAsync(o => { o.SignInConcurrency = 1; o.SignInQueueLimit = 0; o.PasswordMemoryKib = 262_144; o.PasswordPasses = 8; });
        await server.RegisteredAsync("alice");
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < 6; i++) clients.Add(await server.ConnectAsync());
            foreach (var c in clients) await c.SendAsync(new Iam("alice", "password1"));
            var answers = new List<Status>();
            foreach (var c in clients)
                answers.Add(await c.ExpectAsync<Status>(s => s.RefOpcode == Opcode.Iam && s.Code is StatusCode.AuthOk or StatusCode.RetryLater));

            Assert.Contains(answers, s => s.Code == StatusCode.RetryLater);
            Assert.All(answers.Where(s => s.Code == StatusCode.RetryLater), s => Assert.InRange(s.Value, 250u, 10_000u));
            var refused = clients[answers.FindIndex(s => s.Code == StatusCode.RetryLater)];
            await refused.SyncAsync();                  // still open: it may simply try again
        }
        finally
        {
            foreach (var c in clients) await c.DisposeAsync();
        }
    }
}
