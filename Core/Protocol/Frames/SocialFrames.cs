// Frames about relations between users: FRIEND and IGNORE.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

public enum FriendAction : byte
{
    Request = 1,
    Accept = 2,
    Refuse = 3,
    Remove = 4,
}

/// <summary>C→S FRIEND: u8 action, tag user. The other side hears STATUS 11, 12, 13 or 32.</summary>
public sealed record Friend(FriendAction Action, Tag User) : Frame
{
    public override Opcode Opcode => Opcode.Friend;
    internal override void WritePayload(WireWriter w) { w.U8((byte)Action); w.Tag(User); }
    internal static Friend Read(ref SequenceReader<byte> r) => new(WireReader.Enum<FriendAction>(ref r), WireReader.Tag(ref r));
}

/// <summary>C→S IGNORE: tag user, u8 on (1 ignore, 0 unignore).</summary>
public sealed record Ignore(Tag User, bool On) : Frame
{
    public override Opcode Opcode => Opcode.Ignore;
    internal override void WritePayload(WireWriter w) { w.Tag(User); w.Bool(On); }
    internal static Ignore Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Bool(ref r));
}
