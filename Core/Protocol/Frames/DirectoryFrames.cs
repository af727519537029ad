// Frames that tell a client who and what exists: ADD (users and channels), UPD (member and friend lists), RESOLVE.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

[Flags]
public enum UserFlags : byte
{
    None = 0,
    Friend = 1,
    Admin = 2,
}

[Flags]
public enum ChannelFlags : byte
{
    None = 0,
    InviteOnly = 1,
    /// <summary>In ADD only: the receiving user is an operator of this channel.</summary>
    Operator = 2,
}

/// <summary>S→C ADD for a user: tag, str8 nickname (the seed's fields), str8 username, u8 presence, str16 awayText, u8 flags, bytes16 identityKey.</summary>
public sealed record AddUser(Tag Tag, string Nickname, string Username, Presence Presence, string AwayText, UserFlags Flags, byte[] IdentityKey) : Frame
{
    public override Opcode Opcode => Opcode.Add;
    internal override void WritePayload(WireWriter w)
    {
        w.Tag(Tag); w.Str8(Nickname); w.Str8(Username); w.U8((byte)Presence); w.Str16(AwayText); w.U8((byte)Flags); w.Bytes16(IdentityKey);
    }
}

/// <summary>S→C ADD for a channel: tag, str8 name (the seed's fields), u8 flags, str16 topic.</summary>
public sealed record AddChannel(Tag Tag, string Name, ChannelFlags Flags, string Topic) : Frame
{
    public override Opcode Opcode => Opcode.Add;
    internal override void WritePayload(WireWriter w) { w.Tag(Tag); w.Str8(Name); w.U8((byte)Flags); w.Str16(Topic); }
}

/// <summary>Reads an S→C ADD: the tag's top bit says whether a user or a channel follows.</summary>
internal static class AddReader
{
    public static Frame Read(ref SequenceReader<byte> r)
    {
        var tag = WireReader.Tag(ref r);
        var name = WireReader.Str8(ref r);
        if (tag.IsUser)
            return new AddUser(tag, name, WireReader.Str8(ref r), WireReader.Enum<Presence>(ref r), WireReader.Str16(ref r),
                (UserFlags)WireReader.U8(ref r), WireReader.Bytes16(ref r));
        if (tag.IsChannel)
            return new AddChannel(tag, name, (ChannelFlags)WireReader.U8(ref r), WireReader.Str16(ref r));
        throw new ProtocolException(StatusCode.MalformedFrame, "ADD names tag 0");
    }
}

/// <summary>C→S UPD: tag (a channel: its members; your own tag: your friends).</summary>
public sealed record UpdRequest(Tag Tag) : Frame
{
    public override Opcode Opcode => Opcode.Upd;
    internal override void WritePayload(WireWriter w) => w.Tag(Tag);
    internal static UpdRequest Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r));
}

/// <summary>S→C UPD: tag, u32 n, n × tag (the seed's fields), u32 m, m × tag (operators, for a channel).</summary>
public sealed record Upd(Tag Tag, IReadOnlyList<Tag> Members, IReadOnlyList<Tag> Operators) : Frame
{
    public override Opcode Opcode => Opcode.Upd;
    internal override void WritePayload(WireWriter w) { w.Tag(Tag); w.Tags(Members); w.Tags(Operators); }
    internal static Upd Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tags(ref r), WireReader.Tags(ref r));
}

/// <summary>C→S RESOLVE: str8 name ('#name' for a channel, else a username).</summary>
public sealed record Resolve(string Name) : Frame
{
    public override Opcode Opcode => Opcode.Resolve;
    internal override void WritePayload(WireWriter w) => w.Str8(Name);
    internal static Resolve Read(ref SequenceReader<byte> r) => new(WireReader.Str8(ref r));
}
