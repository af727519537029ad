// Splits a fan-out of PMs into MSG_MULTI frames that respect the part limit and the frame-size limit.
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Peer.Server;

public static class MultiMessageBatches
{
    /// <summary>
    /// The parts in their order, cut into runs of at most <paramref name="maxParts"/> whose MSG_MULTI frame
    /// (<see cref="MsgMultiSend.FrameOverhead"/> + per part <see cref="MsgMultiSend.PartOverhead"/> + data) fits in
    /// <paramref name="maxFrameSize"/>. A part too large for a frame of its own is an error of the caller.
    /// </summary>
    public static IEnumerable<IReadOnlyList<MsgPart>> Split(IReadOnlyList<MsgPart> parts,
        int maxFrameSize = FrameCodec.DefaultMaxFrameSize, int maxParts = MsgMultiSend.MaxParts)
    {
        var batch = new List<MsgPart>();
        var size = MsgMultiSend.FrameOverhead;
        foreach (var part in parts)
        {
            var partSize = MsgMultiSend.PartOverhead + part.Data.Length;
            if (MsgMultiSend.FrameOverhead + partSize > maxFrameSize)
                throw new ArgumentException($"a part of {part.Data.Length} bytes does not fit in a frame of {maxFrameSize}", nameof(parts));
            if (batch.Count == maxParts || size + partSize > maxFrameSize)
            {
                yield return batch;
                batch = [];
                size = MsgMultiSend.FrameOverhead;
            }
            batch.Add(part);
            size += partSize;
        }
        if (batch.Count > 0) yield return batch;
    }
}
