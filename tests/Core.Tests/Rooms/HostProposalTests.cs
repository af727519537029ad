// The automatic proposal and succession: reachability first, then median RTT, then tag; and the failure detector.
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class HostProposalTests
{
    [Fact]
    public void Direct_beats_mapped_beats_punched_beats_relay_then_the_lowest_median_RTT()
    {
        ReachReport[] reports =
        [
            new(Tag.User(1), RoomReach.RelayOnly, [1, 1, 1]),
            new(Tag.User(2), RoomReach.Direct, [50, 10, 90]),
            new(Tag.User(3), RoomReach.Direct, [20, 30, 40, 900]),
            new(Tag.User(4), RoomReach.Mapped, [1]),
            new(Tag.User(5), RoomReach.Punched, [1]),
            new(Tag.User(6), RoomReach.Mapped, [300, 200, 250]),
        ];
        Assert.Equal([Tag.User(3), Tag.User(2), Tag.User(4), Tag.User(6), Tag.User(5), Tag.User(1)], HostProposal.Rank(reports));
        Assert.Equal(Tag.User(3), HostProposal.Propose(reports));
    }

    [Fact]
    public void The_median_RTT_to_the_others_decides_within_a_reach_and_jitter_under_one_step_falls_back_to_the_tag()
    {
        // Medians 35 (of 20, 35, 900: one bad path does not sink a member), 12 and 18: 12 and 18 share the 10 ms step.
        ReachReport[] reports =
        [
            new(Tag.User(1), RoomReach.Mapped, [20, 35, 900]),
            new(Tag.User(2), RoomReach.Mapped, [18]),
            new(Tag.User(3), RoomReach.Mapped, [11, 13]),
        ];
        Assert.Equal(35, reports[0].MedianRtt);
        Assert.Equal(12, reports[2].MedianRtt);
        Assert.Equal([Tag.User(2), Tag.User(3), Tag.User(1)], HostProposal.Rank(reports));
        // A member that reported no RTT ranks after those that did, within its reach.
        Assert.Equal([Tag.User(3), Tag.User(4)], HostProposal.Rank([new(Tag.User(4), RoomReach.Mapped, []), new(Tag.User(3), RoomReach.Mapped, [400])]));
    }

    [Theory]
    [InlineData(true, true, true, true, false, RoomReach.RelayOnly)]    // keeps its address private: relay, whatever else
    [InlineData(false, true, false, false, false, RoomReach.Direct)]   // no NAT
    [InlineData(false, false, true, false, false, RoomReach.Mapped)]   // a router-mapped port
    [InlineData(false, false, true, true, true, RoomReach.Mapped)]     // mapped beats punchable
    [InlineData(false, false, false, true, false, RoomReach.Punched)]  // endpoint-independent NAT
    [InlineData(false, false, false, false, true, RoomReach.Punched)]  // symmetric, but its link to the host went direct
    [InlineData(false, false, false, false, false, RoomReach.RelayOnly)]
    public void Reachability_is_judged_from_the_nat_the_mapping_the_privacy_setting_and_the_link(
        bool addressPrivate, bool noNat, bool mapped, bool endpointIndependent, bool linkDirect, RoomReach expected) =>
        Assert.Equal(expected, RoomReachRules.Classify(new ReachFacts(addressPrivate, noNat, mapped, endpointIndependent), linkDirect));

    [Fact]
    public void A_mapped_member_is_proposed_over_a_closer_one_behind_a_punchable_nat()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three().State;
        var reports = new Dictionary<Tag, ReachReport>
        {
            [cast.Tags[1]] = new(cast.Tags[1], RoomReachRules.Classify(new ReachFacts(false, false, false, true), linkDirect: true), [2]),
            [cast.Tags[2]] = new(cast.Tags[2], RoomReachRules.Classify(new ReachFacts(false, false, true, false), linkDirect: false), [80]),
        };
        Assert.Equal([cast.Tags[2], cast.Tags[1]], HostProposal.Succession(state, cast.Tags[0], reports));
    }

    [Fact]
    public void The_succession_ranks_reporters_and_lists_silent_members_last()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three().State;
        var reports = new Dictionary<Tag, ReachReport> { [cast.Tags[2]] = new(cast.Tags[2], RoomReach.Direct, [5]) };
        Assert.Equal([cast.Tags[2], cast.Tags[1]], HostProposal.Succession(state, cast.Tags[0], reports));
    }
}
