// How a line of a buffer is styled and whether it counts as activity.
namespace P2PChat.Peer.Tui.State;

public enum MessageKind
{
    /// <summary>Someone else's message: counts as unread, may be a highlight.</summary>
    Normal,
    /// <summary>A message I sent: never unread, never a highlight.</summary>
    Own,
    /// <summary>An informational line (joins, buzzes, command output): not unread.</summary>
    Notice,
    /// <summary>An error shown inline (a failed command, a lost link): not unread.</summary>
    Error,
}
