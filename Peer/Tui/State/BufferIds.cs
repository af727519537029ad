// Buffer id conventions: "#general", "#channel", "@nick", "&room".
namespace P2PChat.Peer.Tui.State;

public static class BufferIds
{
    public const string General = "#general";

    /// <summary>The kind a buffer id names, by its first character.</summary>
    public static BufferKind KindOf(string id) => id switch
    {
        _ when string.Equals(id, General, StringComparison.OrdinalIgnoreCase) => BufferKind.General,
        ['#', ..] => BufferKind.Channel,
        ['@', ..] => BufferKind.Private,
        ['&', ..] => BufferKind.Room,
        _ => throw new ArgumentException($"buffer id must start with #, @ or &: '{id}'", nameof(id)),
    };

    /// <summary>The buffer id of a private conversation with <paramref name="nick"/>.</summary>
    public static string ForPeer(string nick) => "@" + nick;
}
