// Roster deltas queued for one client: the latest per user wins, they go out batched where the first one was queued.
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class DeltaCoalescingTests
{
    private static readonly Tag Ann = new(0x8000_0001), Ben = new(0x8000_0002);
    private static AddUser Card(Tag t, string nick) => new(t, nick, nick, Presence.Online, "", UserFlags.None, []);

    private static async Task<List<Frame>> DrainAsync(OutgoingQueue queue)
    {
        var ct = TestContext.Current.CancellationToken;
        queue.Complete(null);
        var written = new MemoryStream();
        await using (var writer = new FrameConnection(written, FrameDirection.ToServer))
            await queue.RunWriterAsync(writer, ct);
        var bytes = written.ToArray();
        var frames = new List<Frame>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = 4 + (bytes[at] << 24 | bytes[at + 1] << 16 | bytes[at + 2] << 8 | bytes[at + 3]);
            frames.Add(FrameCodec.Parse(bytes.AsSpan(at, length), FrameDirection.ToClient));
            at += length;
        }
        return frames;
    }

    [Fact]
    public async Task Many_deltas_take_one_queue_slot_and_the_latest_state_per_user_goes_out()
    {
        var queue = new OutgoingQueue(capacity: 2);
        Assert.True(queue.TryEnqueue(new Ping(1)));
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(queue.TryEnqueueDelta(Ann.Value, Card(Ann, $"ann{i}")));
            Assert.True(queue.TryEnqueueDelta(Ben.Value, new PresenceUpdate(Ben, Presence.Away, $"{i}")));
        }
        Assert.True(queue.TryEnqueueDelta(Ann.Value, new PresenceUpdate(Ann, Presence.Away, "gone")));   // folds into the pending card

        var frames = await DrainAsync(queue);

        Assert.Equal(new Ping(1), frames[0]);
        var card = Assert.IsType<AddUser>(frames[1]);
        Assert.Equal(("ann999", Presence.Away, "gone"), (card.Nickname, card.Presence, card.AwayText));
        Assert.Equal(new PresenceUpdate(Ben, Presence.Away, "999"), frames[2]);
        Assert.Equal(3, frames.Count);
    }

    [Fact]
    public async Task Held_deltas_wait_for_their_release_and_then_follow_what_was_queued_meanwhile()
    {
        var queue = new OutgoingQueue(capacity: 8);
        Assert.True(queue.TryEnqueueDelta(Ann.Value, Card(Ann, "ann"), hold: true));
        Assert.True(queue.TryEnqueueDelta(Ben.Value, Card(Ben, "ben"), hold: true));
        Assert.True(queue.TryEnqueue(new Ping(7)));           // the burst
        Assert.True(queue.ReleaseDeltas());

        var frames = await DrainAsync(queue);

        Assert.Equal(new Ping(7), frames[0]);
        var roster = Assert.IsType<Roster>(frames[1]);
        Assert.Equal(["ann", "ben"], roster.Users.Select(u => u.Nickname).Order());
    }
}
