// Path MTU discovery on connections over the in-memory network with an MTU limit, on the manual clock.
using P2PChat.Core.Transport;
using P2PChat.NetLab.Transport;
using Xunit;

namespace P2PChat.Core.Tests.Transport;

public sealed class PathMtuTests
{
    private static readonly LinkConditions Ethernet = new() { Delay = TimeSpan.FromMilliseconds(10), MaxDatagramSize = 1472 };

    /// <summary>Transfers <paramref name="size"/> bytes client → server and returns the sizes of the datagrams the network saw.</summary>
    private static void Transfer(ConnectedPair pair, int size, int tag)
    {
        var writer = new PatternWriter(pair.Client.OpenTransportStream(), tag, size);
        PatternReader? reader = null;
        Assert.True(pair.Sim.Run(() =>
        {
            writer.Pump();
            if (reader is null && pair.Server.TryAcceptStream() is { } s) reader = new PatternReader(s) { Tag = tag, ExpectedSize = size };
            reader?.Pump();
        }, () => reader is { Ended: true }, TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Packets_grow_to_the_largest_size_the_path_carries()
    {
        using var pair = new ConnectedPair(Ethernet, seed: 1);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtuState == PathMtuState.SearchComplete
            && pair.Server.PathMtuState == PathMtuState.SearchComplete, TimeSpan.FromSeconds(5)));

        Assert.Equal(1472, pair.Client.PathMtu);
        Assert.Equal(1472, pair.Server.PathMtu);
        Assert.Equal(1472, pair.Client.Statistics.PathMtu);
        Assert.Equal(1, pair.Client.Statistics.PathMtuProbesSent);
        Assert.Equal(0, pair.Sim.Network.DroppedOversize);
    }

    [Fact]
    public void A_smaller_path_is_found_and_data_flows_at_that_size_without_loss_counted()
    {
        using var pair = new ConnectedPair(Ethernet with { MaxDatagramSize = 1380 }, seed: 2);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtuState == PathMtuState.SearchComplete, TimeSpan.FromMinutes(1)));
        Assert.InRange(pair.Client.PathMtu, 1380 - 8, 1380);
        Assert.True(pair.Client.Statistics.PathMtuProbesLost >= 3);

        long oversizeBefore = pair.Sim.Network.DroppedOversize;
        Transfer(pair, 500_000, tag: 3);
        Assert.Equal(oversizeBefore, pair.Sim.Network.DroppedOversize); // data never exceeded the confirmed size
        Assert.Equal(0, pair.Client.Statistics.PacketsLost); // lost probes are not data loss
    }

    [Fact]
    public void A_path_that_shrinks_is_detected_as_a_black_hole_and_the_transfer_completes()
    {
        using var pair = new ConnectedPair(Ethernet, seed: 3);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtu == 1472, TimeSpan.FromSeconds(5)));

        pair.Sim.Network.Conditions = Ethernet with { MaxDatagramSize = 1300 }; // e.g. the route moved into a tunnel
        Transfer(pair, 300_000, tag: 4);

        Assert.Equal(1, pair.Client.Statistics.PathMtuBlackHoles);
        Assert.InRange(pair.Client.PathMtu, 1200, 1300);
    }

    [Fact]
    public void Switched_off_or_capped_at_the_base_size_nothing_is_probed()
    {
        using var off = new ConnectedPair(Ethernet, seed: 5, new TransportOptions { PathMtuDiscovery = false }.WithAesGcm());
        Transfer(off, 50_000, tag: 5);
        Assert.Equal(PathMtuState.Disabled, off.Client.PathMtuState);
        Assert.Equal(0, off.Client.Statistics.PathMtuProbesSent);
        Assert.Equal(1200, off.Client.PathMtu);
    }

    [Fact]
    public void The_configured_maximum_bounds_the_search()
    {
        using var pair = new ConnectedPair(Ethernet, seed: 6, new TransportOptions { MaxProbedPacketSize = 1350 }.WithAesGcm());
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtuState == PathMtuState.SearchComplete, TimeSpan.FromSeconds(5)));
        Assert.Equal(1350, pair.Client.PathMtu);
    }

    [Fact]
    public void A_restart_after_a_path_change_falls_back_to_the_base_and_searches_the_new_path()
    {
        using var pair = new ConnectedPair(Ethernet, seed: 7);
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtu == 1472, TimeSpan.FromSeconds(5)));

        pair.Client.RestartPathMtuDiscovery(maxProbedPacketSize: 1200); // e.g. moved onto a relay: no probing
        Assert.Equal(1200, pair.Client.PathMtu);
        Assert.Equal(PathMtuState.Disabled, pair.Client.PathMtuState);

        pair.Sim.Network.Conditions = Ethernet with { MaxDatagramSize = 1400 }; // then onto a direct path
        pair.Client.RestartPathMtuDiscovery();
        Assert.True(pair.Sim.Run(() => { }, () => pair.Client.PathMtuState == PathMtuState.SearchComplete, TimeSpan.FromMinutes(1)));
        Assert.InRange(pair.Client.PathMtu, 1392, 1400);
    }

    [Theory]
    [InlineData("127.0.0.1", 16384)]
    [InlineData("127.9.8.7", 16384)]
    [InlineData("::1", 16384)]
    [InlineData("::ffff:127.0.0.1", 16384)]
    [InlineData("10.0.0.1", 1472)]
    [InlineData("2001:db8::1", 1452)]
    [InlineData("::ffff:10.0.0.1", 1452)]
    public void The_default_maximum_is_Ethernet_sized_except_towards_loopback(string address, int expected) =>
        Assert.Equal(expected, TransportConnection.DefaultMaxProbedPacketSize(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 7)));
}
