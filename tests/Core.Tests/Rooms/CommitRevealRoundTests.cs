// Commit-reveal: every member gets the same seed, a bad reveal is refused, and a member who withholds is named.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class CommitRevealRoundTests
{
    private static readonly RoomId Room = new(7);
    private static readonly Tag[] Members = [Tag.User(1), Tag.User(2), Tag.User(3)];

    private static (CommitRevealRound Round, byte[][] Nonces) Committed(ManualTimeProvider clock, byte[][]? nonces = null)
    {
        nonces ??= [.. Members.Select(_ => CommitRevealRound.NewNonce())];
        var round = new CommitRevealRound(Room, 1, Members, clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        for (var i = 0; i < Members.Length; i++) round.Commit(Members[i], CommitRevealRound.Commitment(Room, 1, Members[i], nonces[i]), clock.GetUtcNow());
        return (round, nonces);
    }

    [Fact]
    public void All_reveal_and_the_seed_is_the_transcript_s()
    {
        var clock = new ManualTimeProvider();
        var (round, nonces) = Committed(clock);
        Assert.Equal(CommitRevealRound.Phase.Revealing, round.Current);
        for (var i = 0; i < Members.Length; i++) round.Reveal(Members[i], nonces[i], clock.GetUtcNow());
        Assert.Equal(CommitRevealRound.Phase.Done, round.Current);
        Assert.Equal(round.Seed, CommitRevealRound.Verify(Room, 1, round.Commitments, round.Reveals));
    }

    [Fact]
    public void Reveals_wait_for_every_commitment_and_must_match_it()
    {
        var clock = new ManualTimeProvider();
        var nonce = CommitRevealRound.NewNonce();
        var round = new CommitRevealRound(Room, 1, Members, clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        round.Commit(Members[0], CommitRevealRound.Commitment(Room, 1, Members[0], nonce), clock.GetUtcNow());
        Assert.Contains("not revealing", Assert.Throws<RoomProtocolException>(() => round.Reveal(Members[0], nonce, clock.GetUtcNow())).Message);
        var (full, nonces) = Committed(clock);
        Assert.Contains("does not match", Assert.Throws<RoomProtocolException>(() => full.Reveal(Members[0], nonces[1], clock.GetUtcNow())).Message);
        Assert.Throws<RoomProtocolException>(() => full.Commit(Members[0], new byte[32], clock.GetUtcNow()));
        Assert.Throws<RoomProtocolException>(() => full.Reveal(Tag.User(9), nonces[0], clock.GetUtcNow()));
    }

    [Fact]
    public void A_member_that_refuses_to_reveal_voids_the_round_and_is_named()
    {
        var clock = new ManualTimeProvider();
        var (round, nonces) = Committed(clock);
        round.Reveal(Members[0], nonces[0], clock.GetUtcNow());
        round.Reveal(Members[2], nonces[2], clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));
        round.Expire(clock.GetUtcNow());
        Assert.Equal(CommitRevealRound.Phase.Failed, round.Current);
        Assert.Equal([Members[1]], round.Withholders);
        Assert.Null(round.Seed);
    }

    [Fact]
    public void A_member_that_never_commits_is_dropped_before_anything_is_revealed()
    {
        var clock = new ManualTimeProvider();
        var round = new CommitRevealRound(Room, 1, Members, clock.GetUtcNow(), TimeSpan.FromSeconds(5));
        var nonces = Members.Select(_ => CommitRevealRound.NewNonce()).ToArray();
        round.Commit(Members[0], CommitRevealRound.Commitment(Room, 1, Members[0], nonces[0]), clock.GetUtcNow());
        round.Commit(Members[1], CommitRevealRound.Commitment(Room, 1, Members[1], nonces[1]), clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));
        round.Expire(clock.GetUtcNow());
        Assert.Equal([Members[0], Members[1]], round.Participants);
        round.Reveal(Members[0], nonces[0], clock.GetUtcNow());
        round.Reveal(Members[1], nonces[1], clock.GetUtcNow());
        Assert.Equal(CommitRevealRound.Phase.Done, round.Current);
    }

    [Fact]
    public void Unbiasable_once_commitments_are_fixed_each_member_has_exactly_one_accepted_reveal()
    {
        // For any nonces: the honest transcript gives a seed, and any other reveal by any one member is refused, so
        // after committing, the last revealer's only choice is to reveal (fixed outcome) or withhold (round void, named).
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32).ArrayOf(3)), Arb.From(Gen.Choose(0, 2)), (raw, who) =>
        {
            var clock = new ManualTimeProvider();
            var (round, nonces) = Committed(clock, raw);
            var other = (byte[])nonces[who].Clone();
            other[0] ^= 1;
            try { round.Reveal(Members[who], other, clock.GetUtcNow()); return false; }
            catch (RoomProtocolException) { }
            for (var i = 0; i < 3; i++) round.Reveal(Members[i], nonces[i], clock.GetUtcNow());
            return round.Current == CommitRevealRound.Phase.Done;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Fair_draws_are_deterministic_in_range_and_roughly_uniform()
    {
        var counts = new int[6];
        for (var i = 0; i < 6000; i++) counts[FairDraw.Uniform(BitConverter.GetBytes(i), 0, 6)]++;
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.Equal(FairDraw.Uniform([1, 2, 3], 4, 37), FairDraw.Uniform([1, 2, 3], 4, 37));
    }
}
