// Presence of a member as the member list shows it.
namespace P2PChat.Peer.Tui.State;

public enum Presence
{
    Online,
    Away,
    Offline,
}
