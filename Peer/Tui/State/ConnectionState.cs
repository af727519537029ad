// Connection to the rendezvous server, as the status bar shows it.
namespace P2PChat.Peer.Tui.State;

public enum ConnectionState
{
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
}
