// The input line as the view state knows it: the current text and cursor, the shared history and the completion cycle.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// The on-screen input widget owns editing; it reports its text here (<see cref="ChatViewState.SyncInput"/>) so
/// a buffer switch can park it as that buffer's draft. When the state itself changes the line (a switch brings
/// back a draft, a line is submitted) <see cref="Version"/> goes up and the widget copies <see cref="Line"/>.
/// Guarded by the view state's lock.
/// </summary>
internal sealed class InputState
{
    private InputDraft _line = InputDraft.Empty;

    public InputDraft Line => _line;
    public long Version { get; private set; }
    public InputHistory History { get; } = new();
    public TabCompleter Completer { get; } = new();

    /// <summary>The widget's text (no version change: the widget already shows it).</summary>
    public void Sync(string text, int cursor) => _line = new InputDraft(text, Math.Clamp(cursor, 0, text.Length));

    /// <summary>A change made by the state: the widget must show it.</summary>
    public void Replace(string text, int cursor)
    {
        _line = new InputDraft(text, Math.Clamp(cursor, 0, text.Length));
        Version++;
    }
}
