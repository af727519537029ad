// A terminal size the test changes by hand to simulate resizes.
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tests.Tui.Support;

public sealed class FixedTerminalSize(int width, int height) : ITerminalSize
{
    public (int Width, int Height) Current { get; set; } = (width, height);
}
