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

    [Fact]
    public void After_a_split_brain_a_member_of_the_losing_host_gets_everything_the_winner_ordered_in_the_same_epoch()
    {
        // Two successors both claimed epoch 2 and ordered different posts at the same positions.
        var winner = new HostOrder(2);
        var loser = new HostOrder(2);
        var member = new RoomLog(Tag.User(4));
        for (var i = 1; i <= 3; i++) winner.Order(new RoomEntry(new RoomMessageId(Tag.User(3), (ulong)i), [(byte)i]));
        for (var i = 1; i <= 5; i++) Assert.True(member.Accept(loser.Order(new RoomEntry(new RoomMessageId(Tag.User(4), (ulong)i), [(byte)i])).Delivery));
        Assert.Empty(winner.After(member.LastEpoch, member.LastOrder));   // the position of the loser's order hides the winner's posts

        member.ForgetPosition();
        var missed = winner.After(member.LastEpoch, member.LastOrder);
        Assert.Equal(3, missed.Count);
        Assert.All(missed, d => Assert.True(member.Accept(d)));
    }
}
