// Tests of the /whois answer line: nickname, presence and away text, flags, key status and fingerprint.
using P2PChat.Peer.Server;
using P2PChat.Peer.Events;
using P2PChat.Peer.Tui.Binding;
using Xunit;
using CorePresence = P2PChat.Core.Protocol.Presence;

namespace P2PChat.Peer.Tests.Tui.Binding;

public sealed class WhoisNoticeTests
{
    [Fact]
    public void Says_everything_known()
    {
        var u = new UserEvent(7, "bob", "Bobby", CorePresence.Away, "lunch", Friend: true, Admin: true);
        Assert.Equal("whois bob: nickname Bobby · away (lunch) · friend · admin · key verified, fingerprint 1234 5678",
            WhoisNotice.Format(u, ("verified", "1234 5678")));
    }

    [Fact]
    public void Leaves_out_what_is_not_there()
    {
        var u = new UserEvent(7, "bob", "bob", CorePresence.Offline, "", Friend: false, Admin: false);
        Assert.Equal("whois bob: offline · key not seen yet (/safety bob)", WhoisNotice.Format(u, null));
        Assert.Equal("whois bob: offline · key trusted", WhoisNotice.Format(u, ("trusted", null)));
    }
}
