// The receiver's duplicate filter for PMs that may come over a link and through the server.
using P2PChat.Peer.Links;
using P2PChat.Peer.Routing;
using Xunit;

namespace P2PChat.Peer.Tests.Routing;

public sealed class DeliveredEnvelopesTests
{
    [Fact]
    public void The_same_envelope_from_the_same_sender_is_seen_once_and_the_window_is_bounded()
    {
        var seen = new DeliveredEnvelopes();
        Assert.True(seen.FirstSight("bob", [1, 2, 3]));
        Assert.False(seen.FirstSight("Bob", [1, 2, 3]));
        Assert.True(seen.FirstSight("carol", [1, 2, 3]));
        Assert.True(seen.FirstSight("bob", [1, 2, 4]));
        for (var i = 0; i < DeliveredEnvelopes.Capacity; i++) seen.FirstSight("dave", BitConverter.GetBytes(i));
        Assert.True(seen.FirstSight("bob", [1, 2, 3]));   // forgotten: the window holds the last Capacity only
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
