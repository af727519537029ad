// Which conversation (buffer id: "#channel", "@user" or "&room") a message belongs to, and whom to send to from a buffer.
namespace P2PChat.Peer.History;

/// <summary>
/// One naming rule for history and the TUI: a channel message belongs to its channel ("#rust"); a private message
/// to the other party ("@bob"): the sender when someone wrote to me, the recipient when I wrote; a room message to its
/// room ("&amp;lounge").
/// </summary>
public static class HistoryBuffers
{
    public static string ForMessage(string from, string to, string me) =>
        to.StartsWith('#') || to.StartsWith('&') ? to
        : "@" + (string.Equals(from, me, StringComparison.OrdinalIgnoreCase) ? to : from);

    /// <summary>The buffer of a /msg target: "#rust" stays, "bob" becomes "@bob".</summary>
    public static string ForTarget(string target) => target.StartsWith('#') || target.StartsWith('&') ? target : "@" + target;

    /// <summary>The /msg target of a buffer ("#rust", "bob"), or null for a buffer one cannot write to this way.</summary>
    public static string? TargetOf(string bufferId) => bufferId switch
    {
        ['#', _, ..] => bufferId,
        ['&', _, ..] => bufferId,
        ['@', _, ..] => bufferId[1..],
        _ => null,
    };
}
