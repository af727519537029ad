// When the first successor claims the room: the wrong-host sequence after a vote, replayed on the pure rule and the watch.
using FsCheck;
using FsCheck.Fluent;
using P2PChat.Core.Rooms;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class SuccessorClaimTests
{
    /// <summary>The first successor's view of a room of three: its watch of the host, and who asked it to host when.</summary>
    private sealed class Successor
    {
        public readonly ManualTimeProvider Clock = new();
        public readonly HostWatch Watch;
        public bool Reached = true;   // connected to the host it watches
        private long _askedAt;

        public Successor() => Watch = new HostWatch(Clock, HostWatch.DefaultTimeout);

        /// <summary>A new host (a handoff): its silence counts from now, not reached yet (RoomPeer.WatchAnew).</summary>
        public void NewHost()
        {
            Watch.Restart();
            Reached = false;
            _askedAt = 0;
        }

        /// <summary>A first stream to it (RoomPeer.Connected).</summary>
        public void FirstStream()
        {
            Watch.Restart();
            Reached = true;
        }

        public void Pings(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Clock.Advance(HostWatch.PingInterval);
                Watch.Heard();
            }
        }

        public void Asked() => _askedAt = Clock.GetTimestamp();

        public ClaimFacts Facts => new(Watch.Silence, Watch.Timeout, Reached, _askedAt == 0 ? null : Clock.GetElapsedTime(_askedAt), OtherMembers: 1);

        public ClaimDecision Decide() => SuccessorClaim.Decide(Facts);
    }

    [Fact]
    public void After_a_vote_a_stream_to_the_new_host_that_dies_silently_makes_the_first_successor_wait_not_claim()
    {
        // The failing run's log: u2 hands the room to u4; u3 (first successor) reaches u4, hears it, then its stream ends
        // as both sides replace the link and the stream made again hears nothing. u2 hears u4 all along: nobody asks u3.
        var u3 = new Successor();
        u3.Pings(20);                       // the old host, regular
        u3.NewHost();                       // the handoff's state
        u3.Clock.Advance(TimeSpan.FromSeconds(0.15));
        u3.FirstStream();
        u3.Pings(2);
        u3.Clock.Advance(HostWatch.DefaultTimeout);   // the stream made again over the replaced link hears nothing
        Assert.True(SuccessorClaim.HostGivenUp(u3.Facts));   // its own watch gives the host up: the old code claimed here
        Assert.Equal(ClaimDecision.Wait, u3.Decide());       // the rule waits: reconnect to the host, nobody else suspects it
        u3.Clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(ClaimDecision.Wait, u3.Decide());
        u3.Watch.Heard();                   // the stream made once more hears the host's ping
        Assert.Equal(ClaimDecision.KeepHost, u3.Decide());
    }

    [Fact]
    public void A_killed_host_is_claimed_as_soon_as_the_successor_suspects_it_when_another_member_asked_first()
    {
        var u3 = new Successor();
        u3.Pings(20);
        // The host is killed; the other member's tick comes first and it asks the successor, which still hears the host.
        u3.Clock.Advance(HostWatch.DefaultTimeout - TimeSpan.FromSeconds(0.2));
        u3.Asked();
        Assert.Equal(ClaimDecision.KeepHost, u3.Decide());
        u3.Clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(ClaimDecision.ClaimAsked, u3.Decide());   // at the moment its own suspicion comes: no later than before
    }

    [Fact]
    public void An_ask_that_comes_after_the_successor_suspects_the_host_is_claimed_at_once()
    {
        var u3 = new Successor();
        u3.Pings(20);
        u3.Clock.Advance(HostWatch.DefaultTimeout);
        Assert.Equal(ClaimDecision.Wait, u3.Decide());
        u3.Clock.Advance(TimeSpan.FromSeconds(0.25));
        u3.Asked();
        Assert.Equal(ClaimDecision.ClaimAsked, u3.Decide());
    }

    [Fact]
    public void Alone_in_its_suspicion_the_successor_claims_after_twice_the_timeout_and_an_old_ask_does_not_count()
    {
        var u3 = new Successor();
        u3.Pings(20);
        u3.Asked();
        u3.Clock.Advance(SuccessorClaim.AskWindow + TimeSpan.FromSeconds(0.1));
        Assert.Equal(ClaimDecision.ClaimLongSilence, u3.Decide());   // 3.1 s ≥ 2 × 1.5 s; the ask, 3.1 s old, is stale
        var v = new Successor();
        v.Pings(20);
        v.Asked();
        v.Clock.Advance(HostWatch.DefaultTimeout * SuccessorClaim.LongSilenceFactor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(ClaimDecision.ClaimAsked, v.Decide());
        Assert.Equal(ClaimDecision.Wait, SuccessorClaim.Decide(v.Facts with { SinceAsked = null }));
        Assert.Equal(ClaimDecision.Wait, SuccessorClaim.Decide(v.Facts with { SinceAsked = SuccessorClaim.AskWindow + TimeSpan.FromTicks(1) }));
    }

    [Fact]
    public void A_successor_still_reaching_its_host_does_not_claim_on_a_long_silence_the_answer_may_be_a_handoff()
    {
        // The after-fix loop's failing run: u3's stream to the old host u2 stalled before u2's handoff state reached it;
        // alone in its suspicion it waited, reconnected to u2, and at 3.25 s of silence, the reconnect still pending,
        // claimed the old epoch's room; its claim then won the merge against the elected u4.
        var u3 = new Successor();
        u3.Pings(20);
        u3.Clock.Advance(HostWatch.DefaultTimeout * SuccessorClaim.LongSilenceFactor + TimeSpan.FromSeconds(0.25));
        Assert.Equal(ClaimDecision.Wait, SuccessorClaim.Decide(u3.Facts with { ReachingHost = true }));
        // The attempt fails (the host is gone): the long silence counts.
        Assert.Equal(ClaimDecision.ClaimLongSilence, u3.Decide());
        // Asked by another member, it claims even while the attempt is under way (a killed host is not slowed).
        u3.Asked();
        Assert.Equal(ClaimDecision.ClaimAsked, SuccessorClaim.Decide(u3.Facts with { ReachingHost = true }));
    }

    [Fact]
    public void In_a_room_of_two_nobody_can_ask_so_the_successor_claims_on_its_own_suspicion()
    {
        var u3 = new Successor();
        u3.Pings(20);
        u3.Clock.Advance(HostWatch.DefaultTimeout);
        Assert.Equal(ClaimDecision.ClaimAlone, SuccessorClaim.Decide(u3.Facts with { OtherMembers = 0 }));
    }

    [Fact]
    public void A_host_not_reached_yet_is_given_the_first_reach_grace_even_when_others_ask()
    {
        var u3 = new Successor();
        u3.NewHost();
        u3.Clock.Advance(TimeSpan.FromSeconds(3));
        u3.Asked();
        Assert.Equal(ClaimDecision.KeepHost, u3.Decide());
        u3.Clock.Advance(SuccessorClaim.FirstReachGrace - TimeSpan.FromSeconds(3));
        Assert.Equal(ClaimDecision.ClaimLongSilence, u3.Decide());
    }

    [Fact]
    public void With_a_fresh_ask_the_rule_claims_exactly_when_the_watch_gives_the_host_up_and_never_claims_a_host_not_given_up()
    {
        var gen = from silenceMs in Gen.Choose(0, 12_000)
                  from timeoutMs in Gen.Choose(1_500, 3_000)
                  from reached in Gen.Elements(true, false)
                  from askedMs in Gen.Choose(-1, 5_000)
                  from others in Gen.Choose(0, 63)
                  from reaching in Gen.Elements(true, false)
                  select new ClaimFacts(TimeSpan.FromMilliseconds(silenceMs), TimeSpan.FromMilliseconds(timeoutMs), reached,
                      askedMs < 0 ? null : TimeSpan.FromMilliseconds(askedMs), others, reaching);
        Prop.ForAll(Arb.From(gen), f =>
        {
            var d = SuccessorClaim.Decide(f);
            if (!SuccessorClaim.HostGivenUp(f)) return d == ClaimDecision.KeepHost;
            if (f.SinceAsked <= SuccessorClaim.AskWindow) return d == ClaimDecision.ClaimAsked;
            return d.Claims() == (f.OtherMembers == 0 || f.Silence >= f.Timeout * SuccessorClaim.LongSilenceFactor && !f.ReachingHost);
        }).QuickCheckThrowOnFailure();
    }
}
