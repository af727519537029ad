// Message ids, acknowledgement by delivery, resend to a new host, and exactly-once display across hosts.
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;
using Xunit;

namespace P2PChat.Core.Tests.Rooms;

public sealed class RoomLogTests
{
    [Fact]
    public void A_post_stays_unacknowledged_until_a_host_delivers_it_and_a_second_delivery_is_a_duplicate()
    {
        var me = Tag.User(1);
        var log = new RoomLog(me);
        var a = log.Post([1]);
        var b = log.Post([2]);
        Assert.Equal([a, b], log.Unacknowledged);
        var host1 = new HostOrder(1);
        Assert.True(log.Accept(host1.Order(a).Delivery));
        Assert.Equal([b], log.Unacknowledged);
        // The host dies; the new host gets our outbox and our recent window; it orders both, we show only b.
        var host2 = new HostOrder(2);
        var redelivered = log.Recent.Concat(log.Unacknowledged).Select(e => host2.Order(e).Delivery).ToList();
        Assert.Equal([false, true], redelivered.Select(log.Accept));
        Assert.Empty(log.Unacknowledged);
        Assert.False(host2.Order(a).IsNew);
        Assert.Equal((2u, 2ul), (log.LastEpoch, log.LastOrder));
    }

    [Fact]
    public void A_reconnecting_member_gets_what_it_missed_from_the_same_host_and_everything_from_a_new_one()
    {
        var host = new HostOrder(3);
        for (var i = 1; i <= 5; i++) host.Order(new RoomEntry(new RoomMessageId(Tag.User(2), (ulong)i), [(byte)i]));
        Assert.Equal([4ul, 5ul], host.After(3, 3).Select(d => d.Order));
        Assert.Equal(5, host.After(2, 9).Count);
    }
}
