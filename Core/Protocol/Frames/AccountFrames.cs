// Frames about one's own account: IAM (sign-in), REGISTER, NICK, PRESENCE.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>C→S IAM, the seed's layout: u8 userLen, u8 passLen, user bytes, pass bytes.</summary>
public sealed record Iam(string Username, string Password) : Frame
{
    public override Opcode Opcode => Opcode.Iam;
    internal override void WritePayload(WireWriter w)
    {
        var user = System.Text.Encoding.UTF8.GetByteCount(Username);
        var pass = System.Text.Encoding.UTF8.GetByteCount(Password);
        if (user > byte.MaxValue || pass > byte.MaxValue) throw new ArgumentException("username and password are at most 255 bytes each");
        w.U8((byte)user); w.U8((byte)pass); w.Raw(Username); w.Raw(Password);
    }
    internal static Iam Read(ref SequenceReader<byte> r)
    {
        var user = WireReader.U8(ref r);
        var pass = WireReader.U8(ref r);
        return new(WireReader.Utf8(ref r, user), WireReader.Utf8(ref r, pass));
    }
}

/// <summary>S→C IAM: tag (the seed's field), then u8 isAdmin, i64 serverTimeMs, str8 nickname.</summary>
public sealed record IamOk(Tag Tag, bool IsAdmin, long ServerTimeMs, string Nickname) : Frame
{
    public override Opcode Opcode => Opcode.Iam;
    internal override void WritePayload(WireWriter w) { w.Tag(Tag); w.Bool(IsAdmin); w.I64(ServerTimeMs); w.Str8(Nickname); }
    internal static IamOk Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.Bool(ref r), WireReader.I64(ref r), WireReader.Str8(ref r));
}

/// <summary>C→S REGISTER: str8 × 8 (username, password, email, nickname, fullName, birthDate, gender, location), bytes16 identityKey.</summary>
public sealed record Register(
    string Username, string Password, string Email = "", string Nickname = "", string FullName = "",
    string BirthDate = "", string Gender = "", string Location = "", byte[]? IdentityKey = null) : Frame
{
    public override Opcode Opcode => Opcode.Register;
    internal override void WritePayload(WireWriter w)
    {
        w.Str8(Username); w.Str8(Password); w.Str8(Email); w.Str8(Nickname);
        w.Str8(FullName); w.Str8(BirthDate); w.Str8(Gender); w.Str8(Location);
        w.Bytes16(IdentityKey ?? []);
    }
    internal static Register Read(ref SequenceReader<byte> r) => new(
        WireReader.Str8(ref r), WireReader.Str8(ref r), WireReader.Str8(ref r), WireReader.Str8(ref r),
        WireReader.Str8(ref r), WireReader.Str8(ref r), WireReader.Str8(ref r), WireReader.Str8(ref r),
        WireReader.Bytes16(ref r));

}

/// <summary>C→S NICK: str8 nickname.</summary>
public sealed record Nick(string Nickname) : Frame
{
    public override Opcode Opcode => Opcode.Nick;
    internal override void WritePayload(WireWriter w) => w.Str8(Nickname);
    internal static Nick Read(ref SequenceReader<byte> r) => new(WireReader.Str8(ref r));
}

/// <summary>C→S PRESENCE: u8 presence (online or away), str16 text.</summary>
public sealed record SetPresence(Presence Presence, string Text) : Frame
{
    public override Opcode Opcode => Opcode.Presence;
    internal override void WritePayload(WireWriter w) { w.U8((byte)Presence); w.Str16(Text); }
    internal static SetPresence Read(ref SequenceReader<byte> r) => new(WireReader.Enum<Presence>(ref r), WireReader.Str16(ref r));
}

/// <summary>S→C PRESENCE: tag, u8 presence, str16 text.</summary>
public sealed record PresenceUpdate(Tag User, Presence Presence, string Text) : Frame
{
    public override Opcode Opcode => Opcode.Presence;
    internal override void WritePayload(WireWriter w) { w.Tag(User); w.U8((byte)Presence); w.Str16(Text); }
    internal static PresenceUpdate Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.Enum<Presence>(ref r), WireReader.Str16(ref r));
}
