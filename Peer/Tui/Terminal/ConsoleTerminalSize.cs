// The real terminal's size from Console.WindowWidth/Height, with 80x24 when there is no terminal.
namespace P2PChat.Peer.Tui.Terminal;

public sealed class ConsoleTerminalSize : ITerminalSize
{
    public (int Width, int Height) Current
    {
        get
        {
            try
            {
                int w = Console.WindowWidth, h = Console.WindowHeight;
                return w > 0 && h > 0 ? (w, h) : (80, 24);
            }
            catch (IOException)
            {
                return (80, 24);
            }
        }
    }
}
