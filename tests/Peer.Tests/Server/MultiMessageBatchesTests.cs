// Splitting a fan-out into MSG_MULTI frames: order kept, at most MaxParts per frame, every frame within the size limit.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;
using P2PChat.Peer.Server;
using Xunit;

namespace P2PChat.Peer.Tests.Server;

public sealed class MultiMessageBatchesTests
{
    private static List<MsgPart> Parts(int count, int size) =>
        [.. Enumerable.Range(0, count).Select(i => new MsgPart(Tag.User((uint)i + 1), new byte[size]))];

    [Fact]
    public void A_small_fan_out_is_one_frame()
    {
        var parts = Parts(15, 400);
        var batch = Assert.Single(MultiMessageBatches.Split(parts));
        Assert.Equal(parts, batch);
    }

    [Fact]
    public void More_parts_than_the_limit_are_cut_at_the_limit()
    {
        var batches = MultiMessageBatches.Split(Parts(MsgMultiSend.MaxParts * 2 + 1, 1), maxFrameSize: int.MaxValue).ToList();
        Assert.Equal([MsgMultiSend.MaxParts, MsgMultiSend.MaxParts, 1], batches.Select(b => b.Count));
    }

    [Theory]
    [InlineData(256, 400)]
    [InlineData(100, 16 * 1024)]
    [InlineData(3, 1)]
    public void Every_frame_fits_the_frame_limit_and_the_order_is_kept(int count, int size)
    {
        var parts = Parts(count, size);
        var batches = MultiMessageBatches.Split(parts).ToList();

        Assert.Equal(parts, batches.SelectMany(b => b));
        foreach (var batch in batches)
        {
            var bytes = FrameCodec.ToBytes(new MsgMultiSend(batch, uint.MaxValue, MessageFlags.Encrypted));
            Assert.InRange(bytes.Length, 1, FrameCodec.DefaultMaxFrameSize);
        }
        // Greedy: no two neighbouring frames could have been one.
        for (var i = 1; i < batches.Count; i++)
            Assert.True(batches[i - 1].Count + batches[i].Count > MsgMultiSend.MaxParts
                || MsgMultiSend.FrameOverhead + batches[i - 1].Concat(batches[i]).Sum(p => MsgMultiSend.PartOverhead + p.Data.Length) > FrameCodec.DefaultMaxFrameSize);
    }

    [Fact]
    public void A_part_too_large_for_any_frame_is_refused()
    {
        Assert.Throws<ArgumentException>(() => MultiMessageBatches.Split(Parts(1, FrameCodec.DefaultMaxFrameSize)).ToList());
    }

    [Fact]
    public void Nothing_to_send_is_no_frame()
    {
        Assert.Empty(MultiMessageBatches.Split([]));
    }
}
