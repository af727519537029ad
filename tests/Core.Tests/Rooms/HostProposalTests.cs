// The automatic proposal and succession: reachability first, then median RTT, then tag; and the failure detector.
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class HostProposalTests
{
    [Fact]
    public void Direct_beats_mapped_beats_relay_then_the_lowest_median_RTT()
    {
        ReachReport[] reports =
        [
            new(Tag.User(1), RoomReach.RelayOnly, [1, 1, 1]),
            new(Tag.User(2), RoomReach.Direct, [50, 10, 90]),
            new(Tag.User(3), RoomReach.Direct, [20, 30, 40, 900]),
            new(Tag.User(4), RoomReach.Mapped, [1]),
        ];
        Assert.Equal([Tag.User(3), Tag.User(2), Tag.User(4), Tag.User(1)], HostProposal.Rank(reports));
        Assert.Equal(Tag.User(3), HostProposal.Propose(reports));
    }

    [Fact]
    public void The_succession_ranks_reporters_and_lists_silent_members_last()
    {
        var cast = new RoomStateTests.Cast();
        var state = cast.Three().State;
        var reports = new Dictionary<Tag, ReachReport> { [cast.Tags[2]] = new(cast.Tags[2], RoomReach.Direct, [5]) };
        Assert.Equal([cast.Tags[2], cast.Tags[1]], HostProposal.Succession(state, cast.Tags[0], reports));
    }

    [Fact]
    public void A_host_is_suspected_after_the_timeout_of_silence_on_the_injected_clock()
    {
        var clock = new ManualTimeProvider();
        var watch = new HostWatch(clock, HostWatch.DefaultTimeout);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(watch.HostSuspected);
        watch.Heard();
        clock.Advance(TimeSpan.FromSeconds(1.4));
        Assert.False(watch.HostSuspected);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(watch.HostSuspected);
    }
}
