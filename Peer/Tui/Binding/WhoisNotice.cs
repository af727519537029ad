// The one-line text the TUI shows as the answer to /whois USER.
using P2PChat.Peer.Events;
using CorePresence = P2PChat.Core.Protocol.Presence;

namespace P2PChat.Peer.Tui.Binding;

/// <summary>
/// Layout: <c>whois bob: nickname Bobby · away (lunch) · friend · admin · key trusted, fingerprint 1234 …</c>.
/// The nickname part is left out when it equals the user name, the away text when empty, friend/admin when
/// false; without key events about the user it says "key not seen yet (/safety USER)".
/// </summary>
public static class WhoisNotice
{
    public static string Format(UserEvent u, (string Status, string? Fingerprint)? key)
    {
        var parts = new List<string>();
        if (u.Nickname.Length > 0 && !string.Equals(u.Nickname, u.User, StringComparison.Ordinal)) parts.Add($"nickname {u.Nickname}");
        var presence = u.Presence switch { CorePresence.Online => "online", CorePresence.Away => "away", _ => "offline" };
        parts.Add(u.AwayText.Length > 0 ? $"{presence} ({u.AwayText})" : presence);
        if (u.Friend) parts.Add("friend");
        if (u.Admin) parts.Add("admin");
        parts.Add(key switch
        {
            { Fingerprint: { } fp } k => $"key {k.Status}, fingerprint {fp}",
            { } k => $"key {k.Status}",
            null => $"key not seen yet (/safety {u.User})",
        });
        return $"whois {u.User}: {string.Join(" · ", parts)}";
    }
}
