// Handoff on a vote or a rotation: the state moves to the new host and no message is lost or shown twice.
using P2PChat.Core.Rooms;
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Rooms;

public sealed class RoomHandoffTests
{
    [Fact]
    public async Task A_majority_vote_hands_the_room_to_the_elected_member_while_everyone_keeps_talking()
    {
        await using var lab = new RoomLab();
        var (m, _) = await lab.RoomOfAsync(3);
        var expected = new List<string>();
        async Task Talk(string phase)
        {
            for (var i = 0; i < 10; i++)
                foreach (var x in m)
                {
                    var text = $"{x.Name} {phase} {i}";
                    await x.Room.SayAsync(text);
                    expected.Add(text);
                }
        }
        await Talk("before");
        await m[1].Room.VoteAsync(m[2].Tag);
        await Talk("between");
        await m[2].Room.VoteAsync(m[2].Tag);
        await Talk("after");
        foreach (var x in m)
        {
            await x.Events.WaitForAsync<RoomHostEvent>(e => e.Host == m[2].Name && e.Reason is "vote" or "handoff");
            foreach (var text in expected) await x.Events.WaitForAsync<MessageEvent>(e => e.Text == text);
        }
        foreach (var x in m)
        {
            Assert.Equal(expected.Order(), x.Texts.Order());
            Assert.Equal(m[2].Tag, x.Room.State.Host);
            Assert.Equal(2u, x.Room.State.Epoch);
        }
        var elected = await m[0].Events.WaitForAsync<RoomVoteEvent>(e => e.Elected is not null);
        Assert.Equal(m[2].Name, elected.Elected);
    }

    [Fact]
    public async Task Rotation_draws_the_next_host_by_commit_reveal_and_every_member_sees_the_same_draw_with_its_proof()
    {
        var clock = new ManualTimeProvider();
        await using var lab = new RoomLab { RoomTime = clock, HostTimeout = TimeSpan.FromHours(1) };
        var (m, host) = await lab.RoomOfAsync(3);
        await host.RotateAsync(1);
        foreach (var x in m) await x.Events.WaitForAsync<RoomStateEvent>(e => e.RotationMinutes == 1);
        await m[1].Room.SayAsync("before rotation");
        clock.Advance(TimeSpan.FromMinutes(1));
        var draws = new List<RoomGameEvent>();
        foreach (var x in m) draws.Add(await x.Events.WaitForAsync<RoomGameEvent>(e => e.Game == "rotation"));
        Assert.Single(draws.Select(d => (d.Result, d.Seed)).Distinct());
        var proof = draws[0];
        Assert.Equal(3, proof.Reveals.Count);
        var tags = m.ToDictionary(x => x.Name, x => x.Tag);
        var seed = CommitRevealRound.Verify(m[0].Room.Id, proof.Round,
            proof.Commitments.ToDictionary(kv => tags[kv.Key], kv => Convert.FromHexString(kv.Value)),
            proof.Reveals.ToDictionary(kv => tags[kv.Key], kv => Convert.FromHexString(kv.Value)));
        Assert.Equal(proof.Seed, Convert.ToHexString(seed).ToLowerInvariant());
        var drawn = m.Single(x => x.Name == proof.Result);
        await m[1].Room.SayAsync("after rotation");
        foreach (var x in m)
        {
            if (drawn != m[0]) await x.Events.WaitForAsync<RoomHostEvent>(e => e.Host == drawn.Name);
            await x.Events.WaitForAsync<MessageEvent>(e => e.Text == "after rotation");
            Assert.Equal(["before rotation", "after rotation"], x.Texts);
        }
    }
}
