// Frames that carry messages and their acknowledgements: MSG, MSG_ACK, OFFLINE_ACK, BUZZ.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

[Flags]
public enum MessageFlags : byte
{
    None = 0,
    /// <summary>S→C: the message was stored while the recipient was offline.</summary>
    Offline = 1,
    /// <summary>The data is an end-to-end encrypted envelope, not plain UTF-8 text.</summary>
    Encrypted = 2,
}

/// <summary>C→S MSG: tag to, bytes32 data (the seed's fields), u32 requestId, u8 flags.</summary>
public sealed record MsgSend(Tag To, ReadOnlyMemory<byte> Data, uint RequestId, MessageFlags Flags) : Frame
{
    public override Opcode Opcode => Opcode.Msg;
    internal override void WritePayload(WireWriter w) { w.Tag(To); w.Bytes32(Data.Span); w.U32(RequestId); w.U8((byte)Flags); }
    internal static MsgSend Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.Bytes32(ref r), WireReader.U32(ref r), (MessageFlags)WireReader.U8(ref r));
}

/// <summary>S→C MSG: tag from, bytes32 data (the seed's fields), tag to (your tag or a channel), i64 sentAtMs, u8 flags, u64 messageId.</summary>
public sealed record MsgDeliver(Tag From, ReadOnlyMemory<byte> Data, Tag To, long SentAtMs, MessageFlags Flags, ulong MessageId) : Frame
{
    public override Opcode Opcode => Opcode.Msg;
    internal override void WritePayload(WireWriter w)
    {
        w.Tag(From); w.Bytes32(Data.Span); w.Tag(To); w.I64(SentAtMs); w.U8((byte)Flags); w.U64(MessageId);
    }
    internal static MsgDeliver Read(ref SequenceReader<byte> r) => new(
        WireReader.Tag(ref r), WireReader.Bytes32(ref r), WireReader.Tag(ref r), WireReader.I64(ref r),
        (MessageFlags)WireReader.U8(ref r), WireReader.U64(ref r));
}

/// <summary>S→C MSG_ACK: u32 requestId, u64 messageId, i64 sentAtMs, u8 flags (Offline: stored for later delivery).</summary>
public sealed record MsgAck(uint RequestId, ulong MessageId, long SentAtMs, MessageFlags Flags) : Frame
{
    public override Opcode Opcode => Opcode.MsgAck;
    internal override void WritePayload(WireWriter w) { w.U32(RequestId); w.U64(MessageId); w.I64(SentAtMs); w.U8((byte)Flags); }
    internal static MsgAck Read(ref SequenceReader<byte> r) =>
        new(WireReader.U32(ref r), WireReader.U64(ref r), WireReader.I64(ref r), (MessageFlags)WireReader.U8(ref r));
}

/// <summary>C→S OFFLINE_ACK: u64 messageId; every offline MSG this connection sent up to and including it (in the order sent, not by id) was received and may be deleted.</summary>
public sealed record OfflineAck(ulong UpToMessageId) : Frame
{
    public override Opcode Opcode => Opcode.OfflineAck;
    internal override void WritePayload(WireWriter w) => w.U64(UpToMessageId);
    internal static OfflineAck Read(ref SequenceReader<byte> r) => new(WireReader.U64(ref r));
}

/// <summary>C→S BUZZ: tag user. The recipient gets STATUS 17 with the buzzer as subject.</summary>
public sealed record Buzz(Tag User) : Frame
{
    public override Opcode Opcode => Opcode.Buzz;
    internal override void WritePayload(WireWriter w) => w.Tag(User);
    internal static Buzz Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r));
}
