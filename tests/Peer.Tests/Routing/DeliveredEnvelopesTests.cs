// The receiver's duplicate filter for PMs that may come over a link and through the server.
using P2PChat.Peer.Links;
using P2PChat.Peer.Routing;
using Xunit;

namespace P2PChat.Peer.Tests.Routing;

public sealed class DeliveredEnvelopesTests
{
    [Fact]
    public void An_envelope_the_other_route_delivered_is_refused_but_a_repeat_on_the_same_route_goes_on_to_the_ratchet()
    {
        var seen = new DeliveredEnvelopes();
        Assert.True(seen.Arrived("bob", [1, 2, 3], viaLink: true));
        Assert.False(seen.Arrived("Bob", [1, 2, 3], viaLink: false));   // the fallback's second copy
        Assert.True(seen.Arrived("bob", [1, 2, 3], viaLink: true));     // a replay on the link: the ratchet reports it
        Assert.True(seen.Arrived("carol", [1, 2, 3], viaLink: false));
        Assert.False(seen.Arrived("carol", [1, 2, 3], viaLink: true));
        Assert.True(seen.Arrived("bob", [1, 2, 4], viaLink: false));
    }

    [Fact]
    public void The_window_is_bounded()
    {
        var seen = new DeliveredEnvelopes();
        seen.Arrived("bob", [1, 2, 3], viaLink: true);
        for (var i = 0; i < DeliveredEnvelopes.Capacity; i++) seen.Arrived("dave", BitConverter.GetBytes(i), viaLink: true);
        Assert.True(seen.Arrived("bob", [1, 2, 3], viaLink: false));   // forgotten: the window holds the last Capacity only
    }

    [Fact]
    public void The_link_message_header_refuses_unknown_flags_and_bad_lengths()
    {
        var ok = LinkMessageCodec.Encode(LinkMessageCodec.Flags.Encrypted, [9, 9]);
        Assert.Equal((LinkMessageCodec.Flags.Encrypted, 2), LinkMessageCodec.ReadHeader(ok, out _));
        Assert.Null(LinkMessageCodec.ReadHeader([4, 0, 0, 0, 1], out var why));
        Assert.Contains("flags", why);
        Assert.Null(LinkMessageCodec.ReadHeader([1, 0, 0, 0, 0], out _));
        Assert.Null(LinkMessageCodec.ReadHeader([1, 0, 1, 0, 1], out _));
        Assert.Throws<ArgumentException>(() => LinkMessageCodec.Encode(0, new byte[LinkMessageCodec.MaxBody + 1]));
    }
}
