// A room of three over real loopback links survives the loss of any one member, host included, losing no message sent.
using P2PChat.Peer.Events;
using P2PChat.Peer.Rooms;
using Xunit;

namespace P2PChat.Peer.Tests.Rooms;

public sealed class RoomFailoverTests
{
    [Theory]
    [InlineData(0)]   // the host
    [InlineData(1)]   // the first in the succession
    [InlineData(2)]   // the last
    public async Task A_room_of_three_survives_losing_one_member_and_every_message_sent_arrives_exactly_once(int victim)
    {
        await using var lab = new RoomLab();
        var (m, _) = await lab.RoomOfAsync(3);
        var survivors = m.Where((_, i) => i != victim).ToArray();
        var expected = new List<string>();
        for (var i = 0; i < 5; i++)
            foreach (var x in m)
            {
                var text = $"{x.Name} before {i}";
                await x.Room.SayAsync(text);
                expected.Add(text);
            }
        // Everyone saw the whole first phase, the victim's messages included (one member's last post arriving says
        // nothing about another's: the victim's may still be on their way, and once it is cut off they cannot arrive).
        foreach (var x in m)
            foreach (var text in expected)
                await x.Events.WaitForAsync<MessageEvent>(e => e.Text == text);
        m[victim].Links.GoOffline();
        // Survivors keep talking at once, while the room may still be failing over: these must not be lost either.
        for (var i = 0; i < 5; i++)
            foreach (var x in survivors)
            {
                var text = $"{x.Name} during {i}";
                await x.Room.SayAsync(text);
                expected.Add(text);
            }
        if (victim == 0)
            foreach (var x in survivors)
                await x.Events.WaitForAsync<RoomHostEvent>(e => e.Reason == "failover" || e.Host != m[0].Name && e.Epoch > 1);
        foreach (var x in survivors)
            foreach (var text in expected)
                await x.Events.WaitForAsync<MessageEvent>(e => e.Text == text);
        foreach (var x in survivors)
        {
            Assert.Equal(expected.Order(), x.Texts.Order());   // every message once: none lost, none twice
            Assert.Equal(survivors[0].Room.State.Host, x.Room.State.Host);
        }
        if (victim == 0) Assert.NotEqual(m[0].Tag, survivors[0].Room.State.Host);
    }

    [Fact]
    public async Task A_link_to_the_live_host_that_ends_is_made_again_and_nobody_claims_the_room()
    {
        await using var lab = new RoomLab();
        var (m, host) = await lab.RoomOfAsync(3);
        var successor = m.Single(x => x.Tag == host.State.Succession[0]);
        var other = m.Single(x => x != m[0] && x != successor);
        var marks = m.Select(x => x.Events.Count).ToArray();
        // The first successor's link to the host ends while both are alive (as when a link is replaced: for a moment
        // Find sees no link). Host and successor then link again at the same moment (the host summons the absent
        // member, the member reconnects), so one new link may replace the other once more.
        successor.Links.Cut(m[0].Tag);
        await successor.Events.WaitForFromAsync<RoomStateEvent>(marks[Array.IndexOf(m, successor)],
            e => e.Members.Count == 3 && e.Members.All(x => x.Online), TestContext.Current.CancellationToken);
        var expected = new List<string>();
        foreach (var x in new[] { successor, other, m[0] })
        {
            var text = $"{x.Name} after the cut";
            await x.Room.SayAsync(text);
            expected.Add(text);
        }
        foreach (var x in m)
            foreach (var text in expected)
                await x.Events.WaitForAsync<MessageEvent>(e => e.Text == text);
        foreach (var x in m)
        {
            Assert.Equal(m[0].Tag, x.Room.State.Host);
            Assert.Equal(1u, x.Room.State.Epoch);   // no claim: a second epoch would mean someone took a live host's room
            Assert.DoesNotContain(x.Events.Events.OfType<RoomHostEvent>(), e => e.Reason == "failover");
            Assert.Equal(x.Texts.Count, x.Texts.Distinct().Count());
        }
    }
}
