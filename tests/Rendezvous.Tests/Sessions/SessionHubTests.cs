// The one-session-per-account rule of the hub, without sockets.
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using P2PChat.Core.Protocol;
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class SessionHubTests
{
    [Fact]
    public void Register_replaces_and_a_replaced_session_cannot_unregister_the_new_one()
    {
        var hub = new SessionHub();
        var old = SignedIn(1);
        var current = SignedIn(1);
        Assert.Null(hub.Register(old));
        Assert.Same(old, hub.Register(current));
        Assert.False(hub.Unregister(old));
        Assert.Same(current, hub.Find(Tag.User(1).Value));
        Assert.True(hub.Unregister(current));
        Assert.Null(hub.Find(Tag.User(1).Value));
    }

    [Fact]
    public void Closing_sessions_are_not_online()
    {
        var hub = new SessionHub();
        var s = SignedIn(2);
        hub.Register(s);
        s.Close(null);
        Assert.Null(hub.Find(Tag.User(2).Value));
        Assert.Empty(hub.Online());
    }

    private static Session SignedIn(uint n)
    {
        var s = new Session(n, new Socket(SocketType.Stream, ProtocolType.Tcp), Stream.Null, IPAddress.Loopback,
            new SessionSettings(1024, 16, TimeSpan.FromSeconds(30)), TimeProvider.System, NullLogger.Instance);
        s.SignedIn(new SignedInUser(Tag.User(n), $"u{n}", $"u{n}", false, [], Presence.Online, ""), []);
        return s;
    }
}
