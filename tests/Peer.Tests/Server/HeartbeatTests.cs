// Tests that the heartbeat pings exactly when nothing was sent for a whole interval, on a manual clock.
using P2PChat.Peer.Server;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class HeartbeatTests
{
    private readonly ManualTimeProvider _time = new();
    private int _pings;

    private int _silences;

    private Heartbeat Start() =>
        new(_time, TimeSpan.FromSeconds(10), () => { _pings++; return ValueTask.CompletedTask; }, () => _silences++);

    [Fact]
    public void Pings_after_a_silent_interval_and_again_after_the_next()
    {
        using var heartbeat = Start();
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, _pings);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, _pings);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _pings);
    }

    [Fact]
    public void Sending_anything_postpones_the_ping()
    {
        using var heartbeat = Start();
        _time.Advance(TimeSpan.FromSeconds(6));
        heartbeat.NoteSent();
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, _pings);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _pings);
    }

    [Fact]
    public void Thirty_seconds_without_hearing_anything_gives_up_once()
    {
        using var heartbeat = Start();
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, _silences);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _silences);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, _silences);
        Assert.Equal(2, _pings);
    }

    [Fact]
    public void Hearing_from_the_server_keeps_the_link_alive()
    {
        using var heartbeat = Start();
        for (var i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            heartbeat.NoteReceived();
        }
        Assert.Equal(0, _silences);
        Assert.Equal(10, _pings);
    }

    [Fact]
    public void A_disposed_heartbeat_is_silent()
    {
        var heartbeat = Start();
        heartbeat.Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, _pings);
        Assert.Equal(0, _silences);
    }
}
