// The input line's state: the text being edited, the submitted-line history and the Tab completion cycle.
namespace P2PChat.Peer.Tui.Input;

public sealed class InputLine
{
    public LineEditor Editor { get; } = new();
    public InputHistory History { get; } = new();
    public TabCompleter Completer { get; } = new();
}
