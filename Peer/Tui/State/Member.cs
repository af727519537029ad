// One entry of a channel's member list.
namespace P2PChat.Peer.Tui.State;

public sealed record Member(string Nick, MemberPresence Presence);
