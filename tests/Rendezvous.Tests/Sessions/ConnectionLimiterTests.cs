// The per-address connection cap.
using System.Net;
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class ConnectionLimiterTests
{
    [Fact]
    public void Eighth_connection_is_admitted_and_ninth_is_not_until_one_leaves()
    {
        var limiter = new ConnectionLimiter(8);
        var a = IPAddress.Parse("192.0.2.1");
        for (var i = 0; i < 8; i++) Assert.True(limiter.TryAcquire(a));
        Assert.False(limiter.TryAcquire(a));
        Assert.True(limiter.TryAcquire(IPAddress.Parse("192.0.2.2")));
        limiter.Release(a);
        Assert.True(limiter.TryAcquire(a));
    }
}
