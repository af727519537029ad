// The per-session send queue: bounded for others, the closing frame last, nothing after completion, stored ids in wire order.
using P2PChat.Core.Framing;
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Rendezvous.Sessions;
using Xunit;

namespace P2PChat.Rendezvous.Tests.Sessions;

public sealed class OutgoingQueueTests
{
    [Fact]
    public void Try_enqueue_reports_a_full_queue()
    {
        var queue = new OutgoingQueue(2);
        Assert.True(queue.TryEnqueue(new Ping(1)));
        Assert.True(queue.TryEnqueue(new Ping(2)));
        Assert.False(queue.TryEnqueue(new Ping(3)));
    }

    [Fact]
    public async Task The_last_frame_follows_everything_queued_and_nothing_follows_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new OutgoingQueue(8);
        queue.TryEnqueue(new Ping(1));
        await queue.EnqueueAsync(new Ping(2), ct);
        Assert.True(queue.Complete(new Status(StatusCode.ServerShuttingDown, 0, Tag.None, 0, "bye")));
        Assert.False(queue.Complete(null));
        Assert.False(queue.TryEnqueue(new Ping(3)));
        await queue.EnqueueAsync(new Ping(4), ct);     // returns without queuing

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
        Assert.Equal([new Ping(1), new Ping(2)], frames.Take(2));
        Assert.Equal(StatusCode.ServerShuttingDown, Assert.IsType<Status>(frames[2]).Code);
        Assert.Equal(3, frames.Count);
    }

    [Fact]
    public async Task Only_stored_messages_that_made_it_into_the_queue_are_in_its_ledger()
    {
        var ct = TestContext.Current.CancellationToken;
        var queue = new OutgoingQueue(4);
        MsgDeliver Msg(ulong id, MessageFlags flags) => new(new Tag(0x8000_0002), "x"u8.ToArray(), new Tag(0x8000_0003), 0, flags, id);

        await queue.EnqueueAsync(Msg(11, MessageFlags.Offline | MessageFlags.Encrypted), ct);
        Assert.True(queue.TryEnqueue(Msg(0x8000_0000_0000_0007, MessageFlags.None)));   // live: no store id
        Assert.True(queue.TryEnqueue(Msg(10, MessageFlags.Offline)));
        Assert.True(queue.TryEnqueue(new Ping(1)));
        Assert.False(queue.TryEnqueue(Msg(9, MessageFlags.Offline)));                   // full: never sent, never recorded

        Assert.Empty(queue.TakeAcknowledged(9));
        Assert.Equal([11], queue.TakeAcknowledged(11));
        Assert.Equal([10], queue.TakeAcknowledged(10));
    }
}
