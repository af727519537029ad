// Drives an InputController the way the main screen does: an input field that edits by itself, keys through the KeyMap.
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tests.Tui.Support;

/// <summary>
/// Stands in for <c>InputField</c> without a terminal: typing and plain editing keys change its own line (and are
/// reported with <see cref="ChatViewState.SyncInput"/>); mapped keys go to the controller; afterwards the line
/// is taken back from the state, as the field does when the state's input version moves.
/// </summary>
public sealed class KeyPresses(ChatViewState state, InputController controller)
{
    private readonly LineEditor _field = new();

    public void Type(string text)
    {
        foreach (char c in text) _field.TypeChar(c);
        state.SyncInput(_field.Text, _field.Cursor);
    }

    public void Press(ConsoleKey key, char c = '\0', bool alt = false, bool ctrl = false) => Press(ToKey(key, c, alt, ctrl));

    public void Press(Key key)
    {
        var action = KeyMap.Map(key);
        if (action.Kind == TuiActionKind.None && KeyMap.IsEditingKey(key))
        {
            switch (key.KeyCode)
            {
                case KeyCode.Backspace: _field.Backspace(); break;
                case KeyCode.Delete: _field.Delete(); break;
                case KeyCode.CursorLeft: _field.MoveLeft(); break;
                case KeyCode.CursorRight: _field.MoveRight(); break;
                default: _field.Insert(key.AsGrapheme); break;
            }
            state.SyncInput(_field.Text, _field.Cursor);
            return;
        }
        state.SyncInput(_field.Text, _field.Cursor);
        controller.Apply(action);
        lock (state.Gate) _field.SetText(state.Input.Line.Text, state.Input.Line.Cursor);
    }

    private static Key ToKey(ConsoleKey key, char c, bool alt, bool ctrl)
    {
        Key k = key switch
        {
            ConsoleKey.Enter => Key.Enter,
            ConsoleKey.Tab => Key.Tab,
            ConsoleKey.Backspace => Key.Backspace,
            ConsoleKey.Delete => Key.Delete,
            ConsoleKey.UpArrow => Key.CursorUp,
            ConsoleKey.DownArrow => Key.CursorDown,
            ConsoleKey.LeftArrow => Key.CursorLeft,
            ConsoleKey.RightArrow => Key.CursorRight,
            ConsoleKey.Home => Key.Home,
            ConsoleKey.End => Key.End,
            ConsoleKey.PageUp => Key.PageUp,
            ConsoleKey.PageDown => Key.PageDown,
            ConsoleKey.F7 => Key.F7,
            >= ConsoleKey.A and <= ConsoleKey.Z => new Key((KeyCode)('A' + (key - ConsoleKey.A))),
            >= ConsoleKey.D0 and <= ConsoleKey.D9 => new Key((KeyCode)('0' + (key - ConsoleKey.D0))),
            _ => c != '\0' ? new Key(c) : Key.Empty,
        };
        if (alt) k = k.WithAlt;
        if (ctrl) k = k.WithCtrl;
        return k;
    }
}
