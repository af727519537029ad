// Presence of a member as the member list shows it (the protocol's own is Core.Protocol.Presence).
namespace P2PChat.Peer.Tui.State;

public enum MemberPresence
{
    Online,
    Away,
    Offline,
}
