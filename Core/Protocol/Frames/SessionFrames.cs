// Frames that open, keep alive and report on a connection: HELLO, STATUS, PING, PONG, QUIT.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>C→S HELLO: "P2PC", u16 minVersion, u16 maxVersion, str8 client. The first frame of every connection.</summary>
public sealed record Hello(ushort MinVersion, ushort MaxVersion, string Client) : Frame
{
    public static ReadOnlySpan<byte> Magic => "P2PC"u8;
    public override Opcode Opcode => Opcode.Hello;
    internal override void WritePayload(WireWriter w) { w.Raw(Magic); w.U16(MinVersion); w.U16(MaxVersion); w.Str8(Client); }
    internal static Hello Read(ref SequenceReader<byte> r)
    {
        if (!r.IsNext(Magic, advancePast: true)) throw new ProtocolException(StatusCode.MalformedFrame, "HELLO must start with P2PC");
        return new(WireReader.U16(ref r), WireReader.U16(ref r), WireReader.Str8(ref r));
    }
}

/// <summary>S→C HELLO: u16 version, i64 serverTimeMs, u32 heartbeatMs, str8 server.</summary>
public sealed record HelloOk(ushort Version, long ServerTimeMs, uint HeartbeatMs, string Server) : Frame
{
    public override Opcode Opcode => Opcode.Hello;
    internal override void WritePayload(WireWriter w) { w.U16(Version); w.I64(ServerTimeMs); w.U32(HeartbeatMs); w.Str8(Server); }
    internal static HelloOk Read(ref SequenceReader<byte> r) =>
        new(WireReader.U16(ref r), WireReader.I64(ref r), WireReader.U32(ref r), WireReader.Str8(ref r));
}

/// <summary>S→C STATUS: u8 code, u8 refOpcode, tag subject, u32 value, str16 text. See <see cref="StatusCode"/> for Subject/Value.</summary>
public sealed record Status(StatusCode Code, Opcode RefOpcode, Tag Subject, uint Value, string Text) : Frame
{
    public override Opcode Opcode => Opcode.Status;
    internal override void WritePayload(WireWriter w) { w.U8((byte)Code); w.U8((byte)RefOpcode); w.Tag(Subject); w.U32(Value); w.Str16(Text); }
    internal static Status Read(ref SequenceReader<byte> r) =>
        new((StatusCode)WireReader.U8(ref r), (Opcode)WireReader.U8(ref r), WireReader.Tag(ref r), WireReader.U32(ref r), WireReader.Str16(ref r));
}

/// <summary>PING either way: u64 nonce.</summary>
public sealed record Ping(ulong Nonce) : Frame
{
    public override Opcode Opcode => Opcode.Ping;
    internal override void WritePayload(WireWriter w) => w.U64(Nonce);
    internal static Ping Read(ref SequenceReader<byte> r) => new(WireReader.U64(ref r));
}

/// <summary>PONG either way: u64 nonce (the PING's).</summary>
public sealed record Pong(ulong Nonce) : Frame
{
    public override Opcode Opcode => Opcode.Pong;
    internal override void WritePayload(WireWriter w) => w.U64(Nonce);
    internal static Pong Read(ref SequenceReader<byte> r) => new(WireReader.U64(ref r));
}

/// <summary>C→S QUIT: empty payload.</summary>
public sealed record Quit : Frame
{
    public override Opcode Opcode => Opcode.Quit;
    internal override void WritePayload(WireWriter w) { }
}
