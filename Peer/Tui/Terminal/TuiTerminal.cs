// Everything the TUI needs from a terminal, bundled so tests can hand in fakes.
namespace P2PChat.Peer.Tui.Terminal;

/// <param name="Output">Where frames are written (stdout as a raw stream: one write per frame).</param>
/// <param name="Keys">Where key presses come from.</param>
/// <param name="Size">The size, polled per frame.</param>
/// <param name="Time">Clock for the status bar, buzz flash and frame pacing.</param>
/// <param name="OwnsConsole">True for a real console: set Ctrl-C-as-input and handle SIGTERM/SIGWINCH.</param>
public sealed record TuiTerminal(Stream Output, IKeySource Keys, ITerminalSize Size, TimeProvider Time, bool OwnsConsole)
{
    public static TuiTerminal ForConsole() =>
        new(Console.OpenStandardOutput(), ConsoleKeySource.Shared, new ConsoleTerminalSize(), TimeProvider.System, OwnsConsole: true);
}
