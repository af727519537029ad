// Connection to the rendezvous server, as the status bar shows it (not the transport's Core.Transport.ConnectionState).
namespace P2PChat.Peer.Tui.State;

public enum ServerConnectionStatus
{
    Disconnected,
    Connecting,
    Connected,
    Reconnecting,
}
