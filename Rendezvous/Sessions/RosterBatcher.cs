// Packs user cards and presence updates into as few frames as the frame limit allows (ROSTER, PRESENCE_BATCH, MEMBERS).
using P2PChat.Core.Protocol;
using P2PChat.Core.Protocol.Frames;

namespace P2PChat.Rendezvous.Sessions;

/// <summary>
/// Pure functions: a list of cards becomes ROSTER frames, each as full as <c>maxFrameSize</c> allows (at most 65,535
/// cards, the u16 count); a single card stays a plain ADD and a single update a plain PRESENCE, so a client sees the
/// seed's frames whenever there is nothing to batch. A member list becomes one UPD when it fits, else MEMBERS parts.
/// There is no ceiling on the number of entries: more entries make more frames.
/// </summary>
public static class RosterBatcher
{
    private const int OpcodeSize = 1;

    public static IEnumerable<Frame> Cards(IReadOnlyList<AddUser> cards, int maxFrameSize) =>
        Pack(cards, Roster.CardSize, Roster.CountSize, batch => new Roster(batch), maxFrameSize);

    public static IEnumerable<Frame> Presences(IReadOnlyList<PresenceUpdate> updates, int maxFrameSize) =>
        Pack(updates, PresenceBatch.EntrySize, 2, batch => new PresenceBatch(batch), maxFrameSize);

    /// <summary>Entries into batch frames of at most <paramref name="maxFrameSize"/> bytes (and 65,535 entries); a batch of
    /// one is the entry's own frame.</summary>
    private static IEnumerable<Frame> Pack<T>(IReadOnlyList<T> entries, Func<T, int> entrySize, int headerSize,
        Func<List<T>, Frame> batchFrame, int maxFrameSize) where T : Frame
    {
        var batch = new List<T>();
        var size = OpcodeSize + headerSize;
        foreach (var entry in entries)
        {
            var bytes = entrySize(entry);
            if (batch.Count > 0 && (size + bytes > maxFrameSize || batch.Count == ushort.MaxValue))
            {
                yield return batch.Count == 1 ? batch[0] : batchFrame(batch);
                batch = [];
                size = OpcodeSize + headerSize;
            }
            batch.Add(entry);
            size += bytes;
        }
        if (batch.Count > 0) yield return batch.Count == 1 ? batch[0] : batchFrame(batch);
    }

    /// <summary>UPD when the whole list fits one frame; else MEMBERS parts (members first, then operators), First on
    /// the first part and Last on the last.</summary>
    public static IEnumerable<Frame> MemberList(Tag channel, IReadOnlyList<Tag> members, IReadOnlyList<Tag> operators, int maxFrameSize)
    {
        if (OpcodeSize + 4 + 4 + 4 * members.Count + 4 + 4 * operators.Count <= maxFrameSize)
        {
            yield return new Upd(channel, members, operators);
            yield break;
        }
        var perPart = (maxFrameSize - OpcodeSize - MembersPart.FixedSize) / 4;
        var parts = new List<(List<Tag> Members, List<Tag> Operators)>();
        var current = (Members: new List<Tag>(), Operators: new List<Tag>());
        void Add(Tag t, bool op)
        {
            if (current.Members.Count + current.Operators.Count == perPart) { parts.Add(current); current = ([], []); }
            (op ? current.Operators : current.Members).Add(t);
        }
        foreach (var m in members) Add(m, false);
        foreach (var o in operators) Add(o, true);
        parts.Add(current);
        for (var i = 0; i < parts.Count; i++)
        {
            var flags = (i == 0 ? MembersFlags.First : 0) | (i == parts.Count - 1 ? MembersFlags.Last : 0);
            yield return new MembersPart(channel, flags, parts[i].Members, parts[i].Operators);
        }
    }
}
