// MSG_MULTI and MSG_MULTI_ACK: one command carrying several PMs (e.g. a sender key for every member of a channel).
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>One PM inside MSG_MULTI: tag to (a user), bytes32 data.</summary>
public sealed record MsgPart(Tag To, ReadOnlyMemory<byte> Data);

/// <summary>
/// C→S MSG_MULTI: u16 n, n × (tag to, bytes32 data), u32 requestId, u8 flags (applies to every part).
/// The server counts it as one command for the flood rule and refuses n = 0 (STATUS 0) or n &gt; <see cref="MaxParts"/>
/// (STATUS 28); the frame-size limit still applies, so a client splits a long fan-out into several frames.
/// </summary>
public sealed record MsgMultiSend(IReadOnlyList<MsgPart> Parts, uint RequestId, MessageFlags Flags) : Frame
{
    /// <summary>The most parts one MSG_MULTI may carry.</summary>
    public const int MaxParts = 256;
    /// <summary>Bytes one part adds to the frame besides its data: tag (4) and the data's length (4).</summary>
    public const int PartOverhead = 8;
    /// <summary>Bytes of a frame with no parts: header (5), n (2), requestId (4), flags (1).</summary>
    public const int FrameOverhead = FrameCodec.HeaderSize + 2 + 4 + 1;

    public override Opcode Opcode => Opcode.MsgMulti;

    internal override void WritePayload(WireWriter w)
    {
        if (Parts.Count > ushort.MaxValue) throw new ArgumentException("at most 65535 parts per MSG_MULTI");
        w.U16((ushort)Parts.Count);
        foreach (var part in Parts) { w.Tag(part.To); w.Bytes32(part.Data.Span); }
        w.U32(RequestId);
        w.U8((byte)Flags);
    }

    internal static MsgMultiSend Read(ref SequenceReader<byte> r)
    {
        var count = WireReader.U16(ref r);
        // Each part needs at least its tag and length: refuse a count the frame cannot hold before allocating.
        if (count * (long)PartOverhead > r.Remaining) throw new ProtocolException(StatusCode.MalformedFrame, "MSG_MULTI count exceeds the frame");
        var parts = new MsgPart[count];
        for (var i = 0; i < count; i++) parts[i] = new MsgPart(WireReader.Tag(ref r), WireReader.Bytes32(ref r));
        return new(parts, WireReader.U32(ref r), (MessageFlags)WireReader.U8(ref r));
    }
}

/// <summary>What became of one part of a MSG_MULTI: tag to, u8 code, u8 flags, u64 messageId.</summary>
/// <param name="Code">Ok (18): delivered, stored (flags Offline) or silently dropped by an ignore rule; otherwise the
/// status code a MSG to that user would have been refused with (3, 28, 34, 35), and MessageId 0.</param>
public sealed record MsgPartOutcome(Tag To, StatusCode Code, MessageFlags Flags, ulong MessageId);

/// <summary>S→C MSG_MULTI_ACK: u32 requestId, i64 sentAtMs, u16 n, n × (tag to, u8 code, u8 flags, u64 messageId), in the parts' order.</summary>
public sealed record MsgMultiAck(uint RequestId, long SentAtMs, IReadOnlyList<MsgPartOutcome> Outcomes) : Frame
{
    private const int OutcomeSize = 4 + 1 + 1 + 8;

    public override Opcode Opcode => Opcode.MsgMultiAck;

    internal override void WritePayload(WireWriter w)
    {
        if (Outcomes.Count > ushort.MaxValue) throw new ArgumentException("at most 65535 outcomes per MSG_MULTI_ACK");
        w.U32(RequestId);
        w.I64(SentAtMs);
        w.U16((ushort)Outcomes.Count);
        foreach (var o in Outcomes) { w.Tag(o.To); w.U8((byte)o.Code); w.U8((byte)o.Flags); w.U64(o.MessageId); }
    }

    internal static MsgMultiAck Read(ref SequenceReader<byte> r)
    {
        var requestId = WireReader.U32(ref r);
        var sentAt = WireReader.I64(ref r);
        var count = WireReader.U16(ref r);
        if (count * (long)OutcomeSize > r.Remaining) throw new ProtocolException(StatusCode.MalformedFrame, "MSG_MULTI_ACK count exceeds the frame");
        var outcomes = new MsgPartOutcome[count];
        for (var i = 0; i < count; i++)
            outcomes[i] = new MsgPartOutcome(WireReader.Tag(ref r), (StatusCode)WireReader.U8(ref r), (MessageFlags)WireReader.U8(ref r), WireReader.U64(ref r));
        return new(requestId, sentAt, outcomes);
    }
}
