// The view state's member lists: setting members and presence, and scrolling a list longer than the screen.
using P2PChat.Peer.Tui.Text;

namespace P2PChat.Peer.Tui.State;

/// <summary>
/// A scrolled member list keeps the same member at its top while others join, leave or change presence (the
/// offset follows that member's new position; if it left, the offset stays and is clamped at render time).
/// An unscrolled list (offset 0) stays at the top.
/// </summary>
public sealed partial class ChatViewState
{
    /// <summary>Rows under the member list's header, as last laid out (for page-sized scrolling).</summary>
    internal int MemberRows { get; set; } = 20;

    public void SetMembers(string bufferId, IEnumerable<Member> members) => Mutate(() =>
        KeepMemberTop(Buffers.GetOrAdd(bufferId), list =>
        {
            list.Clear();
            foreach (var m in members) list[TextSanitizer.Clean(m.Nick, keepNewlines: false)] = m.Presence;
        }));

    public void SetMember(string bufferId, Member member) => Mutate(() =>
        KeepMemberTop(Buffers.GetOrAdd(bufferId), list => list[TextSanitizer.Clean(member.Nick, keepNewlines: false)] = member.Presence));

    public void RemoveMember(string bufferId, string nick) => Mutate(() =>
    {
        if (Buffers.Find(bufferId) is { } buffer) KeepMemberTop(buffer, list => list.Remove(nick));
    });

    /// <summary>Updates a nick's presence in every member list that has it.</summary>
    public void SetPresence(string nick, MemberPresence presence) => Mutate(() =>
    {
        foreach (var buffer in Buffers.Ordered)
            if (buffer.Members.ContainsKey(nick)) KeepMemberTop(buffer, list => list[nick] = presence);
    });

    /// <summary>Scrolls the current buffer's member list by pages: positive is down (further members), negative up.</summary>
    public void ScrollMembers(int pages) => Mutate(() =>
    {
        var buffer = Buffers.Current;
        int rows = MemberRows;
        int max = MemberWindow.MaxOffset(buffer.Members.Count, rows);
        int from = Math.Min(buffer.MemberOffset, max);
        buffer.MemberOffset = Math.Clamp(from + pages * MemberWindow.Page(rows), 0, max);
    });

    /// <summary>The index of the first member shown in a buffer's member list (0 = not scrolled).</summary>
    public int MemberOffset(string bufferId) { lock (Gate) return Buffers.Find(bufferId)?.MemberOffset ?? 0; }

    private static void KeepMemberTop(ChatBuffer buffer, Action<Dictionary<string, MemberPresence>> change)
    {
        if (buffer.MemberOffset == 0 || buffer.Members.Count == 0)
        {
            change(buffer.Members);
            if (buffer.Members.Count == 0) buffer.MemberOffset = 0;
            return;
        }
        var before = MemberOrder.Sorted(buffer.Members);
        var top = before[Math.Min(buffer.MemberOffset, before.Count - 1)].Key;
        change(buffer.Members);
        int index = MemberOrder.Sorted(buffer.Members).FindIndex(m => string.Equals(m.Key, top, StringComparison.OrdinalIgnoreCase));
        if (index >= 0) buffer.MemberOffset = index;
        else buffer.MemberOffset = Math.Min(buffer.MemberOffset, Math.Max(0, buffer.Members.Count - 1));
    }
}
