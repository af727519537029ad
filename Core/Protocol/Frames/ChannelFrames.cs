// Frames about channels: INV, CO, CREATE, LEAVE, KICK, TOPIC (and BAN, the admin's server-wide kick).
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

public enum LeaveReason : byte
{
    Left = 0,
    Kicked = 1,
}

/// <summary>C→S INV: tag channel, tag invitee (the seed's layout).</summary>
public sealed record InvSend(Tag Channel, Tag Invitee) : Frame
{
    public override Opcode Opcode => Opcode.Inv;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(Invitee); }
    internal static InvSend Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r));
}

/// <summary>S→C INV: tag channel, tag inviter (the seed's layout).</summary>
public sealed record InvNotify(Tag Channel, Tag Inviter) : Frame
{
    public override Opcode Opcode => Opcode.Inv;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(Inviter); }
    internal static InvNotify Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r));
}

/// <summary>C→S CO: tag channel (the seed's layout).</summary>
public sealed record CoJoin(Tag Channel) : Frame
{
    public override Opcode Opcode => Opcode.Co;
    internal override void WritePayload(WireWriter w) => w.Tag(Channel);
    internal static CoJoin Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r));
}

/// <summary>S→C CO: tag channel, tag joiner (the seed's layout).</summary>
public sealed record CoJoined(Tag Channel, Tag User) : Frame
{
    public override Opcode Opcode => Opcode.Co;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(User); }
    internal static CoJoined Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r));
}

/// <summary>C→S CREATE: str8 name (without '#'), u8 flags, str16 topic.</summary>
public sealed record Create(string Name, ChannelFlags Flags, string Topic) : Frame
{
    public override Opcode Opcode => Opcode.Create;
    internal override void WritePayload(WireWriter w) { w.Str8(Name); w.U8((byte)Flags); w.Str16(Topic); }
    internal static Create Read(ref SequenceReader<byte> r) => new(WireReader.Str8(ref r), (ChannelFlags)WireReader.U8(ref r), WireReader.Str16(ref r));
}

/// <summary>C→S LEAVE: tag channel.</summary>
public sealed record Leave(Tag Channel) : Frame
{
    public override Opcode Opcode => Opcode.Leave;
    internal override void WritePayload(WireWriter w) => w.Tag(Channel);
    internal static Leave Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r));
}

/// <summary>S→C LEAVE: tag channel, tag user, u8 reason, tag by (who kicked; 0 when the user left).</summary>
public sealed record Left(Tag Channel, Tag User, LeaveReason Reason, Tag By) : Frame
{
    public override Opcode Opcode => Opcode.Leave;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(User); w.U8((byte)Reason); w.Tag(By); }
    internal static Left Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.Tag(ref r), WireReader.Enum<LeaveReason>(ref r), WireReader.Tag(ref r));
}

/// <summary>C→S KICK: tag user, tag channel (0: from the server, admins only).</summary>
public sealed record Kick(Tag User, Tag Channel) : Frame
{
    public override Opcode Opcode => Opcode.Kick;
    internal override void WritePayload(WireWriter w) { w.Tag(User); w.Tag(Channel); }
    internal static Kick Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r));
}

/// <summary>C→S BAN: tag user, u32 minutes (0 lifts the ban). Admins only.</summary>
public sealed record Ban(Tag User, uint Minutes) : Frame
{
    public override Opcode Opcode => Opcode.Ban;
    internal override void WritePayload(WireWriter w) { w.Tag(User); w.U32(Minutes); }
    internal static Ban Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.U32(ref r));
}

/// <summary>C→S TOPIC: tag channel, str16 topic. Operators only.</summary>
public sealed record Topic(Tag Channel, string Text) : Frame
{
    public override Opcode Opcode => Opcode.Topic;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Str16(Text); }
    internal static Topic Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Str16(ref r));
}
