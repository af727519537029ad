// Roster deltas wait for the flusher (on the injected clock) and go out batched, unless another frame for the client goes out first.
using P2PChat.Core.Protocol.Frames;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class DeltaFlushTests
{
    /// <summary>
    /// Waits until <paramref name="user"/>'s sign-in has been announced to every session online before it. A sign-in is
    /// announced after its burst, while the newcomer's session already reads its next frame, so the newcomer's own PING
    /// is no barrier. The announcement is one pass over the online sessions: once the witness has it (its PING takes its
    /// pending deltas along), every other session's queue has it too.
    /// </summary>
    private static async Task AnnouncedAsync(TestClient witness, string user)
    {
        while (!witness.Received.Any(f => f is AddUser u && u.Username == user)) await witness.SyncAsync();
    }

    [Fact]
    public async Task Sign_ins_while_a_client_is_quiet_reach_it_as_one_batch_when_the_delay_has_passed()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => (o.RosterDeltaDelayMs, o.HeartbeatTimeoutSeconds) = (250, 24 * 3600), clock);
        // The witness signed in before alice (so alice's burst lists it, and no delta about it waits at alice).
        await using var witness = await server.SignedInAsync("witness");
        await using var alice = await server.SignedInAsync("alice");
        var others = new List<TestClient>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var c = await server.SignedInAsync($"user{i}");
                others.Add(c);
                // CI once advanced the clock before user4 reached alice (see AnnouncedAsync).
                await AnnouncedAsync(witness, $"user{i}");
            }
            var burst = alice.Wire.Count;   // alice's own burst (a ROSTER listing the witness) came before
            clock.Advance(TimeSpan.FromMilliseconds(250));
            for (var i = 0; i < 5; i++) await alice.ExpectAsync<AddUser>(u => u.Username == $"user{i}");
            // On the wire: one ROSTER frame carrying all five cards.
            var batch = Assert.Single(alice.Wire.Skip(burst).OfType<Roster>());
            Assert.Equal(["user0", "user1", "user2", "user3", "user4"], batch.Users.Select(u => u.Username).Order());
        }
        finally
        {
            foreach (var c in others) await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_pending_delta_goes_out_before_a_later_frame_without_waiting_for_the_delay()
    {
        var clock = new ManualTimeProvider();
        await using var server = await TestServer.StartAsync(o => (o.RosterDeltaDelayMs, o.HeartbeatTimeoutSeconds) = (250, 24 * 3600), clock);
        // The witness signed in before alice (so alice's burst lists it, and no delta about it waits at alice).
        await using var witness = await server.SignedInAsync("witness");
        await using var alice = await server.SignedInAsync("alice");
        await using var bob = await server.SignedInAsync("bob");
        // CI once saw alice's PONG go out before bob's card was queued at her (see AnnouncedAsync).
        await AnnouncedAsync(witness, "bob");
        // No clock advance: alice's PONG takes bob's pending card along, in front of it.
        Assert.Contains(await alice.SyncAsync(), f => f is AddUser { Username: "bob" });
    }
}
