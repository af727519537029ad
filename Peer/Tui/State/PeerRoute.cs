// How messages to a peer currently travel, as the status bar shows it for a private buffer.
namespace P2PChat.Peer.Tui.State;

public enum PeerRoute
{
    /// <summary>Not known yet (no direct link attempted).</summary>
    Unknown,
    /// <summary>Stored and forwarded by the rendezvous server.</summary>
    Server,
    /// <summary>A direct UDP link after hole punching.</summary>
    Direct,
    /// <summary>A relayed link.</summary>
    Relay,
}
