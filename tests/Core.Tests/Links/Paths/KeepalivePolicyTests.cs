// The keepalive interval follows what was measured about the NAT binding's lifetime.
using P2PChat.Core.Links.Paths;
using Xunit;

namespace P2PChat.Core.Tests.Links.Paths;

public sealed class KeepalivePolicyTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void With_nothing_measured_it_starts_at_10_s_and_grows_by_half_with_each_silence_survived_up_to_25_s()
    {
        var lifetime = BindingLifetime.Unknown;
        var intervals = new List<TimeSpan>();
        for (int i = 0; i < 6; i++)
        {
            var interval = KeepalivePolicy.Interval(lifetime);
            intervals.Add(interval);
            lifetime = lifetime.ObserveSurvived(interval);
        }
        Assert.Equal([S(10), S(15), S(22.5), S(25), S(25), S(25)], intervals);
    }

    [Fact]
    public void An_expired_binding_sets_the_interval_to_half_its_silence()
    {
        var lifetime = BindingLifetime.Unknown.ObserveSurvived(S(10)).ObserveExpired(S(15));

        Assert.Equal(S(7.5), KeepalivePolicy.Interval(lifetime));
        Assert.Equal(S(7.5), KeepalivePolicy.Interval(lifetime.ObserveSurvived(S(7.5))));   // surviving below the bound keeps it
        Assert.Equal(S(4), KeepalivePolicy.Interval(lifetime.ObserveExpired(S(8))));       // a shorter expiry lowers it
        Assert.Equal(S(1), KeepalivePolicy.Interval(BindingLifetime.Unknown.ObserveExpired(S(1))));
        Assert.Equal(S(25), KeepalivePolicy.Interval(BindingLifetime.Unknown.ObserveExpired(S(600))));
    }

    [Fact]
    public void Surviving_longer_than_an_old_bound_forgets_the_bound()
    {
        var lifetime = BindingLifetime.Unknown.ObserveExpired(S(20)).ObserveSurvived(S(30));

        Assert.Null(lifetime.Expired);
        Assert.Equal(S(25), KeepalivePolicy.Interval(lifetime));
    }
}
