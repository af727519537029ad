// Frames that carry many roster entries at once: ROSTER (user cards), MEMBERS (a member list in parts),
// ROSTER_PAGE (paging through a large general channel) and PRESENCE_BATCH (coalesced presence deltas).
using P2PChat.Core.Bytes;
using System.Buffers;
using System.Text;

namespace P2PChat.Core.Protocol.Frames;

/// <summary>
/// S→C ROSTER (0x29): u16 n, n × user card. A card is exactly the payload of an ADD for a user: tag, str8 nickname,
/// str8 username, u8 presence, str16 awayText, u8 flags, bytes16 identityKey. Means the same as n ADD frames in order.
/// </summary>
public sealed record Roster(IReadOnlyList<AddUser> Users) : Frame
{
    /// <summary>Bytes of the header (opcode excluded) before the first card: the u16 count.</summary>
    public const int CountSize = 2;

    public override Opcode Opcode => Opcode.Roster;

    internal override void WritePayload(WireWriter w)
    {
        w.U16((ushort)Users.Count);
        foreach (var u in Users) u.WritePayload(w);
    }

    internal static Roster Read(ref SequenceReader<byte> r)
    {
        var n = WireReader.U16(ref r);
        var users = new List<AddUser>(Math.Min((int)n, 1024));
        for (var i = 0; i < n; i++)
        {
            if (AddReader.Read(ref r) is not AddUser user) throw new ProtocolException(StatusCode.MalformedFrame, "ROSTER card names a channel");
            users.Add(user);
        }
        return new(users);
    }

    /// <summary>Bytes a card adds to a ROSTER payload (the same as the ADD payload for that user).</summary>
    public static int CardSize(AddUser u) => 4 + 1 + Encoding.UTF8.GetByteCount(u.Nickname) + 1 + Encoding.UTF8.GetByteCount(u.Username)
        + 1 + 2 + Encoding.UTF8.GetByteCount(u.AwayText) + 1 + 2 + u.IdentityKey.Length;
}

[Flags]
public enum MembersFlags : byte
{
    None = 0,
    /// <summary>The first part: forget the list held for this tag and start a new one.</summary>
    First = 1,
    /// <summary>The last part: the list is complete (one UPD's worth).</summary>
    Last = 2,
}

/// <summary>
/// S→C MEMBERS (0x2A): tag channel, u8 flags (1 first part, 2 last part), tags members, tags operators. A member list
/// too large for one UPD frame, in parts: the parts from First to Last, concatenated, mean one UPD.
/// </summary>
public sealed record MembersPart(Tag Channel, MembersFlags Flags, IReadOnlyList<Tag> Members, IReadOnlyList<Tag> Operators) : Frame
{
    /// <summary>Payload bytes besides the tags themselves: channel, flags, two counts.</summary>
    public const int FixedSize = 4 + 1 + 4 + 4;

    public override Opcode Opcode => Opcode.Members;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.U8((byte)Flags); w.Tags(Members); w.Tags(Operators); }
    internal static MembersPart Read(ref SequenceReader<byte> r) =>
        new(WireReader.Tag(ref r), (MembersFlags)WireReader.U8(ref r), WireReader.Tags(ref r), WireReader.Tags(ref r));
}

/// <summary>
/// C→S ROSTER_PAGE (0x2B): tag channel (1: the general channel), tag after (0: from the start), u16 max (1..1000; the
/// server may send fewer). Users online in that channel with a tag above <c>after</c>, in tag order.
/// </summary>
public sealed record RosterPageRequest(Tag Channel, Tag After, ushort Max) : Frame
{
    public override Opcode Opcode => Opcode.RosterPage;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(After); w.U16(Max); }
    internal static RosterPageRequest Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r), WireReader.U16(ref r));
}

/// <summary>
/// S→C ROSTER_PAGE (0x2B): tag channel, tag after (the request's), tag next (the <c>after</c> of the next page; 0: this
/// was the last page), u32 online (users online in the channel now). Follows the ROSTER frames carrying the page's cards.
/// </summary>
public sealed record RosterPageEnd(Tag Channel, Tag After, Tag Next, uint Online) : Frame
{
    public override Opcode Opcode => Opcode.RosterPage;
    internal override void WritePayload(WireWriter w) { w.Tag(Channel); w.Tag(After); w.Tag(Next); w.U32(Online); }
    internal static RosterPageEnd Read(ref SequenceReader<byte> r) => new(WireReader.Tag(ref r), WireReader.Tag(ref r), WireReader.Tag(ref r), WireReader.U32(ref r));
}

/// <summary>S→C PRESENCE_BATCH (0x2C): u16 n, n × (tag user, u8 presence, str16 text). Means the same as n PRESENCE frames in order.</summary>
public sealed record PresenceBatch(IReadOnlyList<PresenceUpdate> Updates) : Frame
{
    public override Opcode Opcode => Opcode.PresenceBatch;

    internal override void WritePayload(WireWriter w)
    {
        w.U16((ushort)Updates.Count);
        foreach (var u in Updates) u.WritePayload(w);
    }

    internal static PresenceBatch Read(ref SequenceReader<byte> r)
    {
        var n = WireReader.U16(ref r);
        var updates = new List<PresenceUpdate>(Math.Min((int)n, 1024));
        for (var i = 0; i < n; i++) updates.Add(PresenceUpdate.Read(ref r));
        return new(updates);
    }

    /// <summary>Bytes an update adds to a PRESENCE_BATCH payload.</summary>
    public static int EntrySize(PresenceUpdate u) => 4 + 1 + 2 + Encoding.UTF8.GetByteCount(u.Text);
}
