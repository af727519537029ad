// The display order of a member list: online, then away, then offline; alphabetical (case-insensitive) within each.
namespace P2PChat.Peer.Tui.State;

internal static class MemberOrder
{
    public static List<KeyValuePair<string, MemberPresence>> Sorted(IReadOnlyDictionary<string, MemberPresence> members) =>
        [.. members.OrderBy(m => m.Value).ThenBy(m => m.Key, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Key, StringComparer.Ordinal)];
}
