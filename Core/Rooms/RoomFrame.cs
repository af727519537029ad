// The frames of a room stream (member ↔ host), their byte layouts and codec: pure, no I/O.
using P2PChat.Core.Bytes;
using System.Text;
using P2PChat.Core.Crypto;
using P2PChat.Core.Crypto.Identity;
using P2PChat.Core.Crypto.Primitives;
using P2PChat.Core.Payloads;
using P2PChat.Core.Protocol;

namespace P2PChat.Core.Rooms;

/// <summary>
/// On a contact-link stream of kind <see cref="PayloadKind.RoomStream"/> (0x30), each frame is
/// <c>length u32 BE (kind + body, 1..<see cref="MaxFrame"/>) | kind u8 | body</c>. Bodies (big-endian):
/// <code>
/// 0x31 Hello    room id u64 | reach u8 | median RTT ms u16 | last epoch u32 | last order u64 | state length u16 | signed state (0 = none)
/// 0x32 State    signed state (RoomState.cs)
/// 0x33 Post     entry
/// 0x34 Deliver  epoch u32 | order u64 | entry
/// 0x35 Ping     timestamp u64 (sender's clock, ms)          0x36 Pong  the ping's timestamp u64
/// 0x37 KeyBox   from u32 | to u32 | sealed length u16 | sealed sender key (RoomKeySeal.cs)
/// 0x38 Request  op u8 (1 admit, 2 leave) | tag u32 | identity key (65, admit only)
/// 0x39 Invite   signed state
/// 0x3A Bye      reason u8 | text u8 length | UTF-8
/// 0x3B Notice   code u8 | text u8 length | UTF-8
/// entry = sender u32 | sequence u64 | ciphertext length u32 | ciphertext (a sender-key message, SenderKeyMessage.cs)
/// </code>
/// A frame of another kind, a short body or trailing bytes is a <see cref="RoomProtocolException"/>: the stream is
/// closed with a Bye and the sender struck.
/// </summary>
public abstract record RoomFrame
{
    public const int MaxFrame = 64 * 1024;
    public const int MaxCiphertext = 16 * 1024;

    public abstract PayloadKind Kind { get; }

    public sealed record Hello(RoomId Room, RoomReach Reach, ushort MedianRttMs, uint LastEpoch, ulong LastOrder, SignedRoomState? Signed) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomHello;
    }

    public sealed record State(SignedRoomState Signed) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomState;
    }

    public sealed record Post(RoomEntry Entry) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomPost;
    }

    public sealed record Deliver(RoomDelivery Delivery) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomDeliver;
    }

    public sealed record Ping(ulong Stamp) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomPing;
    }

    public sealed record Pong(ulong Stamp) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomPong;
    }

    public sealed record KeyBox(Tag From, Tag To, byte[] Sealed) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomKeyBox;
    }

    public enum RequestOp : byte { Admit = 1, Leave = 2 }

    public sealed record Request(RequestOp Op, Tag Target, IdentityPublicKey? Identity) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomRequest;
    }

    public sealed record Invite(SignedRoomState Signed) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomInvite;
    }

    public sealed record Bye(byte Reason, string Text) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomBye;
    }

    public sealed record Notice(byte Code, string Text) : RoomFrame
    {
        public override PayloadKind Kind => PayloadKind.RoomNotice;
    }

    /// <summary>kind u8 | body (the length prefix is the stream's: see <see cref="RoomFrameCodec"/>).</summary>
    public byte[] Encode()
    {
        var w = new ByteWriter(64).Byte((byte)Kind);
        switch (this)
        {
            case Hello h:
                var state = h.Signed?.Encode() ?? [];
                w.UInt64(h.Room.Value).Byte((byte)h.Reach).UInt16(h.MedianRttMs).UInt32(h.LastEpoch).UInt64(h.LastOrder)
                    .UInt16((ushort)state.Length).Bytes(state);
                break;
            case State s: w.Bytes(s.Signed.Encode()); break;
            case Invite i: w.Bytes(i.Signed.Encode()); break;
            case Post p: WriteEntry(w, p.Entry); break;
            case Deliver d: WriteEntry(w.UInt32(d.Delivery.Epoch).UInt64(d.Delivery.Order), d.Delivery.Entry); break;
            case Ping p: w.UInt64(p.Stamp); break;
            case Pong p: w.UInt64(p.Stamp); break;
            case KeyBox k: w.UInt32(k.From.Value).UInt32(k.To.Value).UInt16((ushort)k.Sealed.Length).Bytes(k.Sealed); break;
            case Request r:
                w.Byte((byte)r.Op).UInt32(r.Target.Value);
                if (r.Op == RequestOp.Admit) w.Bytes((r.Identity ?? throw new ArgumentException("admit needs an identity")).Encode());
                break;
            case Bye b: WriteText(w.Byte(b.Reason), b.Text); break;
            case Notice n: WriteText(w.Byte(n.Code), n.Text); break;
        }
        if (w.Length > MaxFrame) throw new RoomProtocolException("room frame too large");
        return w.ToArray();
    }

    private static void WriteEntry(ByteWriter w, RoomEntry e)
    {
        if (e.Ciphertext.Length > MaxCiphertext) throw new RoomProtocolException($"a room post is at most {MaxCiphertext} bytes");
        w.UInt32(e.Id.Sender.Value).UInt64(e.Id.Sequence).UInt32((uint)e.Ciphertext.Length).Bytes(e.Ciphertext);
    }

    private static void WriteText(ByteWriter w, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > 255) bytes = bytes[..255];
        w.Byte((byte)bytes.Length).Bytes(bytes);
    }

    /// <summary>Parses kind u8 | body.</summary>
    public static RoomFrame Decode(ReadOnlySpan<byte> frame)
    {
        try
        {
            var r = new ByteReader(frame);
            var kind = (PayloadKind)r.ReadByte();
            RoomFrame result = kind switch
            {
                PayloadKind.RoomHello => ReadHello(ref r),
                PayloadKind.RoomState => new State(SignedRoomState.Decode(r.ReadRest())),
                PayloadKind.RoomInvite => new Invite(SignedRoomState.Decode(r.ReadRest())),
                PayloadKind.RoomPost => new Post(ReadEntry(ref r)),
                PayloadKind.RoomDeliver => ReadDeliver(ref r),
                PayloadKind.RoomPing => new Ping(r.ReadUInt64()),
                PayloadKind.RoomPong => new Pong(r.ReadUInt64()),
                PayloadKind.RoomKeyBox => new KeyBox(new Tag(r.ReadUInt32()), new Tag(r.ReadUInt32()), r.ReadArray(r.ReadUInt16())),
                PayloadKind.RoomRequest => ReadRequest(ref r),
                PayloadKind.RoomBye => new Bye(r.ReadByte(), ReadText(ref r)),
                PayloadKind.RoomNotice => new Notice(r.ReadByte(), ReadText(ref r)),
                _ => throw new RoomProtocolException($"unknown room frame kind 0x{(byte)kind:x2}"),
            };
            r.ExpectEnd("room frame");
            return result;
        }
        catch (Exception e) when (e is CryptoProtocolException or MalformedInputException or DecoderFallbackException)
        {
            throw new RoomProtocolException($"malformed room frame: {e.Message}");
        }
    }

    private static Hello ReadHello(ref ByteReader r)
    {
        var room = new RoomId(r.ReadUInt64());
        var reach = r.ReadByte();
        if (reach > (byte)RoomReach.RelayOnly) throw new RoomProtocolException("unknown reachability");
        var rtt = r.ReadUInt16();
        var epoch = r.ReadUInt32();
        var order = r.ReadUInt64();
        var length = r.ReadUInt16();
        var state = length == 0 ? null : SignedRoomState.Decode(r.ReadBytes(length));
        return new Hello(room, (RoomReach)reach, rtt, epoch, order, state);
    }

    private static Deliver ReadDeliver(ref ByteReader r)
    {
        var epoch = r.ReadUInt32();
        var order = r.ReadUInt64();
        return new Deliver(new RoomDelivery(epoch, order, ReadEntry(ref r)));
    }

    private static RoomEntry ReadEntry(ref ByteReader r)
    {
        var id = new RoomMessageId(new Tag(r.ReadUInt32()), r.ReadUInt64());
        var length = r.ReadUInt32();
        if (length > MaxCiphertext) throw new RoomProtocolException($"a room post is at most {MaxCiphertext} bytes");
        return new RoomEntry(id, r.ReadArray((int)length));
    }

    private static Request ReadRequest(ref ByteReader r)
    {
        var op = (RequestOp)r.ReadByte();
        var target = new Tag(r.ReadUInt32());
        return op switch
        {
            RequestOp.Admit => new Request(op, target, IdentityPublicKey.Decode(r.ReadBytes(IdentityPublicKey.EncodedLength))),
            RequestOp.Leave => new Request(op, target, null),
            _ => throw new RoomProtocolException($"unknown room request {(byte)op}"),
        };
    }

    private static string ReadText(ref ByteReader r) => new UTF8Encoding(false, true).GetString(r.ReadBytes(r.ReadByte()));
}
