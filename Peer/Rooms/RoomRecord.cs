// What a member saves of a room so it rejoins by itself after a restart: the signed state, its log and its keys.
using P2PChat.Core.Bytes;
using P2PChat.Core.Crypto;
using P2PChat.Core.Protocol;
using P2PChat.Core.Rooms;

namespace P2PChat.Peer.Rooms;

/// <param name="OwnKey">our sender key (<c>GroupSenderKey.Serialize</c>): what we post keeps the key id members hold.</param>
/// <param name="Receivers">the other members' sender keys we hold, by member (<c>GroupReceiverKey.Serialize</c>).</param>
/// <param name="OwnPlain">our posts not yet delivered back, in clear, by sequence (shown to us once delivered).</param>
public sealed record RoomRecord(SignedRoomState Signed, byte[] OwnKey, ulong NextSequence, uint LastEpoch, ulong LastOrder,
    IReadOnlyList<(Tag Member, byte[] Key)> Receivers, IReadOnlyList<RoomEntry> Recent, IReadOnlyList<RoomEntry> Outbox,
    IReadOnlyList<(ulong Sequence, byte[] Payload)> OwnPlain)
{
    public RoomId Id => Signed.State.Id;
}

/// <summary>
/// Byte layout (big-endian; docs/rooms.md §10), sealed by the account's key vault before it is written:
/// <code>
/// format u8 (1) | signed state: len u32 | bytes | own sender key: len u32 | bytes
/// | next sequence u64 | last epoch u32 | last order u64
/// | receivers: count u16 × (member tag u32 | len u32 | receiver key)
/// | recent: count u16 × entry | outbox: count u16 × entry | own plain: count u16 × (sequence u64 | len u32 | payload)
/// entry = sender tag u32 | sequence u64 | len u32 | ciphertext
/// </code>
/// A record that does not parse is a <see cref="RoomProtocolException"/> (the store sets the file aside).
/// </summary>
public static class RoomRecordCodec
{
    public const byte Format = 1;
    private const int MaxBlob = 16 * 1024 * 1024;

    public static byte[] Encode(RoomRecord record)
    {
        var w = new ByteWriter(4096).Byte(Format);
        Blob(w, record.Signed.Encode());
        Blob(w, record.OwnKey);
        w.UInt64(record.NextSequence).UInt32(record.LastEpoch).UInt64(record.LastOrder);
        w.UInt16(checked((ushort)record.Receivers.Count));
        foreach (var (member, key) in record.Receivers) Blob(w.UInt32(member.Value), key);
        Entries(w, record.Recent);
        Entries(w, record.Outbox);
        w.UInt16(checked((ushort)record.OwnPlain.Count));
        foreach (var (sequence, payload) in record.OwnPlain) Blob(w.UInt64(sequence), payload);
        return w.ToArray();
    }

    public static RoomRecord Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new ByteReader(data);
            if (r.ReadByte() != Format) throw new RoomProtocolException("unknown saved room format");
            var signed = SignedRoomState.Decode(ReadBlob(ref r));
            var own = ReadBlob(ref r).ToArray();
            var (next, epoch, order) = (r.ReadUInt64(), r.ReadUInt32(), r.ReadUInt64());
            var receivers = new List<(Tag, byte[])>();
            for (var n = r.ReadUInt16(); n > 0; n--) receivers.Add((new Tag(r.ReadUInt32()), ReadBlob(ref r).ToArray()));
            var recent = ReadEntries(ref r);
            var outbox = ReadEntries(ref r);
            var plain = new List<(ulong, byte[])>();
            for (var n = r.ReadUInt16(); n > 0; n--) plain.Add((r.ReadUInt64(), ReadBlob(ref r).ToArray()));
            r.ExpectEnd("saved room");
            return new RoomRecord(signed, own, next, epoch, order, receivers, recent, outbox, plain);
        }
        catch (Exception e) when (e is MalformedInputException or CryptoProtocolException)
        {
            throw new RoomProtocolException($"saved room is damaged: {e.Message}");
        }
    }

    private static void Blob(ByteWriter w, ReadOnlySpan<byte> bytes) => w.UInt32((uint)bytes.Length).Bytes(bytes);

    private static ReadOnlySpan<byte> ReadBlob(ref ByteReader r)
    {
        var length = r.ReadUInt32();
        if (length > MaxBlob) throw new RoomProtocolException($"saved room field of {length} bytes");
        return r.ReadBytes((int)length);
    }

    private static void Entries(ByteWriter w, IReadOnlyList<RoomEntry> entries)
    {
        w.UInt16(checked((ushort)entries.Count));
        foreach (var e in entries) Blob(w.UInt32(e.Id.Sender.Value).UInt64(e.Id.Sequence), e.Ciphertext);
    }

    private static List<RoomEntry> ReadEntries(ref ByteReader r)
    {
        var entries = new List<RoomEntry>();
        for (var n = r.ReadUInt16(); n > 0; n--)
            entries.Add(new RoomEntry(new RoomMessageId(new Tag(r.ReadUInt32()), r.ReadUInt64()), ReadBlob(ref r).ToArray()));
        return entries;
    }
}
