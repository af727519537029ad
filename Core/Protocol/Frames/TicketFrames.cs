// Frames of device-bound resumption tickets: asking for one, receiving it, signing in with it, revoking them.
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>
/// C→S TICKET (0x2D), signed in only: bytes16 deviceId (16 bytes the device chose at random and keeps), str8 deviceName
/// (shown to the user when listing devices; may be empty). Answered by S→C TICKET.
/// </summary>
public sealed record TicketRequest(byte[] DeviceId, string DeviceName) : Frame
{
    public const int DeviceIdSize = 16;
    public override Opcode Opcode => Opcode.Ticket;
    internal override void WritePayload(WireWriter w) { w.Bytes16(DeviceId); w.Str8(DeviceName); }
    internal static TicketRequest Read(ref SequenceReader<byte> r) => new(WireReader.Bytes16(ref r), WireReader.Str8(ref r));
}

/// <summary>S→C TICKET (0x2D): bytes16 ticket (48 bytes: 16-byte id, 32-byte secret; opaque to the client), time expiresAt.</summary>
public sealed record TicketIssued(byte[] Ticket, long ExpiresAtMs) : Frame
{
    public const int TicketSize = 48;
    public override Opcode Opcode => Opcode.Ticket;
    internal override void WritePayload(WireWriter w) { w.Bytes16(Ticket); w.I64(ExpiresAtMs); }
    internal static TicketIssued Read(ref SequenceReader<byte> r) => new(WireReader.Bytes16(ref r), WireReader.I64(ref r));
}

/// <summary>
/// C→S RESUME (0x2E), before sign-in: bytes16 deviceId, bytes16 ticket. Signs in like IAM without a password: answered
/// by the same sign-in burst, or STATUS 38 (ticket refused: sign in with the password), 23, 24 or 36.
/// </summary>
public sealed record Resume(byte[] DeviceId, byte[] Ticket) : Frame
{
    public override Opcode Opcode => Opcode.Resume;
    internal override void WritePayload(WireWriter w) { w.Bytes16(DeviceId); w.Bytes16(Ticket); }
    internal static Resume Read(ref SequenceReader<byte> r) => new(WireReader.Bytes16(ref r), WireReader.Bytes16(ref r));
}

public enum RevokeScope : byte
{
    /// <summary>The tickets of the device named in the frame.</summary>
    Device = 1,
    /// <summary>Every ticket of the account (every device must sign in with the password again).</summary>
    All = 2,
}

/// <summary>C→S REVOKE (0x2F), signed in only: u8 scope (1 one device, 2 all), bytes16 deviceId (empty for scope 2). STATUS 18, value: tickets revoked.</summary>
public sealed record Revoke(RevokeScope Scope, byte[] DeviceId) : Frame
{
    public override Opcode Opcode => Opcode.Revoke;
    internal override void WritePayload(WireWriter w) { w.U8((byte)Scope); w.Bytes16(DeviceId); }
    internal static Revoke Read(ref SequenceReader<byte> r) => new(WireReader.Enum<RevokeScope>(ref r), WireReader.Bytes16(ref r));
}
