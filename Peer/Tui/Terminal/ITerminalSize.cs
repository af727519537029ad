// The terminal's current size, polled every frame (a seam so tests can resize a fake terminal).
namespace P2PChat.Peer.Tui.Terminal;

public interface ITerminalSize
{
    (int Width, int Height) Current { get; }
}
