// Host election by vote: majority of members, split votes, deterministic tie break, a host leaving during a vote.
using P2PChat.Core.Rooms;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class VoteTallyTests
{
    [Fact]
    public void A_majority_of_members_elects_and_a_minority_does_not()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three().State;
        var tally = new VoteTally(state.Epoch);
        tally.Cast(state, cast.Tags[0], cast.Tags[2], state.Epoch);
        Assert.Null(tally.Winner(state));
        tally.Cast(state, cast.Tags[1], cast.Tags[2], state.Epoch);
        Assert.Equal(cast.Tags[2], tally.Winner(state));
    }

    [Fact]
    public void A_split_vote_breaks_toward_the_host_then_the_succession_order()
    {
        var cast = new RoomStateTests.Cast();
        var held = cast.Three().State;
        var four = held with { Members = [.. held.Members, new(cast.Tags[3], cast.Keys[3].Public, RoomRole.Member)], Succession = [cast.Tags[2], cast.Tags[1], cast.Tags[3]] };
        var tally = new VoteTally(four.Epoch);
        tally.Cast(four, cast.Tags[0], cast.Tags[1], four.Epoch);
        tally.Cast(four, cast.Tags[1], cast.Tags[2], four.Epoch);
        tally.Cast(four, cast.Tags[2], cast.Tags[1], four.Epoch);
        Assert.Null(tally.Winner(four));   // 2 of 4 is no majority and one member has not voted
        tally.Cast(four, cast.Tags[3], cast.Tags[2], four.Epoch);
        Assert.Equal(cast.Tags[2], tally.Winner(four));   // 2–2: C comes before B in the succession
    }

    [Fact]
    public void Votes_for_non_members_or_other_epochs_are_refused_and_a_departed_candidate_loses_its_votes()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three().State;
        var tally = new VoteTally(state.Epoch);
        Assert.Contains("not a member", Assert.Throws<RoomProtocolException>(() => tally.Cast(state, cast.Tags[0], cast.Tags[3], state.Epoch)).Message);
        Assert.Throws<RoomProtocolException>(() => tally.Cast(state, cast.Tags[3], cast.Tags[1], state.Epoch));
        Assert.Throws<RoomProtocolException>(() => tally.Cast(state, cast.Tags[0], cast.Tags[1], state.Epoch + 1));
        tally.Cast(state, cast.Tags[1], cast.Tags[0], state.Epoch);
        tally.Cast(state, cast.Tags[2], cast.Tags[0], state.Epoch);
        // The host (A) leaves during the vote: B takes over in a new epoch; votes for A vanish.
        var after = state with { Version = 5, Epoch = 2, Host = cast.Tags[1], Members = [.. state.Members.Skip(1)], Succession = [cast.Tags[2]] };
        Assert.Null(tally.Winner(after));
        Assert.Empty(tally.Votes);
    }
}
