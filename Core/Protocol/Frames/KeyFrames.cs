// Frames of the end-to-end key directory: PREKEYS, BUNDLE, PREKEYS_LOW, IDENTITY (the server treats every key as an opaque blob).
using P2PChat.Core.Bytes;
using System.Buffers;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>
/// C→S PREKEYS: bytes16 signedPrekey (empty: keep the one the server has), u16 n, n × bytes16 oneTimePrekey.
/// Answered by STATUS 18 (value = one-time prekeys the server now holds for you) or 28.
/// </summary>
public sealed record Prekeys(byte[] SignedPrekey, IReadOnlyList<byte[]> OneTimePrekeys) : Frame
{
    public override Opcode Opcode => Opcode.Prekeys;
    internal override void WritePayload(WireWriter w)
    {
        w.Bytes16(SignedPrekey);
        if (OneTimePrekeys.Count > ushort.MaxValue) throw new ArgumentException("at most 65535 one-time prekeys per frame");
        w.U16((ushort)OneTimePrekeys.Count);
        foreach (var key in OneTimePrekeys) w.Bytes16(key);
    }
    internal static Prekeys Read(ref SequenceReader<byte> r)
    {
        var signed = WireReader.Bytes16(ref r);
        var count = WireReader.U16(ref r);
        // Each entry needs at least its 2-byte length: refuse a count the frame cannot hold before allocating.
        if (count * 2L > r.Remaining) throw new ProtocolException(StatusCode.MalformedFrame, "PREKEYS count exceeds the frame");
        var keys = new byte[count][];
        for (var i = 0; i < count; i++) keys[i] = WireReader.Bytes16(ref r);
        return new(signed, keys);
    }
}

/// <summary>C→S BUNDLE: tag user. Answered by BUNDLE (S→C) or STATUS 3 (no such user, or no keys published).</summary>
public sealed record BundleRequest(Tag User) : Frame
{
    public override Opcode Opcode => Opcode.Bundle;
    internal override void WritePayload(WireWriter w) => w.Tag(User);
    internal static BundleRequest Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r));
}

/// <summary>
/// S→C BUNDLE: tag user, bytes16 identityKey, bytes16 signedPrekey, bytes16 oneTimePrekey (empty when none is left).
/// The one-time prekey is deleted from the server as it is handed out: no two requests get the same one.
/// </summary>
public sealed record Bundle(Tag User, byte[] IdentityKey, byte[] SignedPrekey, byte[] OneTimePrekey) : Frame
{
    public override Opcode Opcode => Opcode.Bundle;
    internal override void WritePayload(WireWriter w) { w.Tag(User); w.Bytes16(IdentityKey); w.Bytes16(SignedPrekey); w.Bytes16(OneTimePrekey); }
    internal static Bundle Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), WireReader.Bytes16(ref r), WireReader.Bytes16(ref r), WireReader.Bytes16(ref r));
}

/// <summary>S→C PREKEYS_LOW: u32 remaining. Sent at sign-in and after a fetch when fewer one-time prekeys remain than the server's threshold.</summary>
public sealed record PrekeysLow(uint Remaining) : Frame
{
    public override Opcode Opcode => Opcode.PrekeysLow;
    internal override void WritePayload(WireWriter w) => w.U32(Remaining);
    internal static PrekeysLow Read(ref SequenceReader<byte> r) => new(WireReader.U32(ref r));
}

/// <summary>
/// C→S IDENTITY: bytes16 identityKey. Replaces one's published identity (e.g. after losing the profile): the server
/// forgets the old prekeys, answers STATUS 18 and sends every online user ADD with the new key.
/// </summary>
public sealed record IdentityChange(byte[] IdentityKey) : Frame
{
    public override Opcode Opcode => Opcode.Identity;
    internal override void WritePayload(WireWriter w) => w.Bytes16(IdentityKey);
    internal static IdentityChange Read(ref SequenceReader<byte> r) => new(WireReader.Bytes16(ref r));
}
