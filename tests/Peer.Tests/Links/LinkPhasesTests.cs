// The one line that says where a link's time went: phases from the first introduction, and a re-introduction marked.
using P2PChat.Peer.Links;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Links;

public sealed class LinkPhasesTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void The_line_counts_each_phase_from_the_introduction_and_comes_once()
    {
        var phases = new LinkPhases(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(2));
        phases.ChecksStarted(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(40));
        phases.Reachable(_time.GetTimestamp());
        phases.Nominated(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(30));
        phases.Secured(_time.GetTimestamp());

        var line = phases.ReportOnce(_time);

        Assert.NotNull(line);
        Assert.Contains("checks +2 ms, first reachable pair +42 ms", line);
        Assert.Contains("handshake done +72 ms, nominated +42 ms; direct link up +72 ms", line);
        Assert.DoesNotContain("re-introduced", line);
        Assert.Null(phases.ReportOnce(_time));
    }

    [Fact]
    public void A_re_introduction_is_marked_so_a_late_pair_reads_as_its_own()
    {
        // where one side's STUN never answers, the pair that works is found only after a fresh introduction, seconds later
        var phases = new LinkPhases(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(3));
        phases.ChecksStarted(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(2000));
        phases.Reintroduced(_time.GetTimestamp());
        _time.Advance(TimeSpan.FromMilliseconds(5400));
        phases.Reintroduced(_time.GetTimestamp());   // the last re-introduction counts
        _time.Advance(TimeSpan.FromMilliseconds(70));
        phases.Reachable(_time.GetTimestamp());
        phases.Nominated(_time.GetTimestamp());
        phases.Secured(_time.GetTimestamp());

        var line = phases.ReportOnce(_time)!;

        Assert.Contains("checks +3 ms, first reachable pair +7473 ms", line);
        Assert.EndsWith("; re-introduced +7403 ms", line);
    }
}
