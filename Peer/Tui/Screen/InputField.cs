// The input line's editor: a Terminal.Gui TextField kept in step with the view state's copy of the line.
using System.Globalization;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Drawing;
using Terminal.Gui.Views;

namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Typing, Backspace, Delete, Left/Right and paste are the TextField's; every change is reported to the state
/// (<see cref="ChatViewState.SyncInput"/>). When the state changes the line itself (a draft comes back, history,
/// completion, a submit) <see cref="PullFromState"/> copies it in. The TextField counts its insertion point in
/// text elements; the state in chars.
/// </summary>
internal sealed class InputField : TextField
{
    private readonly ChatViewState _state;
    private long _seenVersion = -1;

    public InputField(ChatViewState state)
    {
        _state = state;
        CanFocus = true;
        SetScheme(new Scheme(Theme.Plain));
        TextChanged += (_, _) => PushToState();
    }

    /// <summary>Reports the field's text and cursor to the state.</summary>
    public void PushToState() => _state.SyncInput(Text, CharIndex(Text, InsertionPoint));

    /// <summary>Shows the state's line if the state changed it since the last look; true when it did.</summary>
    public bool PullFromState()
    {
        InputDraft line;
        long version;
        lock (_state.Gate) (line, version) = (_state.Input.Line, _state.Input.Version);
        if (version == _seenVersion) return false;
        _seenVersion = version;
        if (Text != line.Text) Text = line.Text;
        InsertionPoint = ElementIndex(line.Text, line.Cursor);
        return true;
    }

    /// <summary>The char index where text element <paramref name="element"/> starts.</summary>
    internal static int CharIndex(string text, int element)
    {
        var starts = StringInfo.ParseCombiningCharacters(text);
        return element <= 0 ? 0 : element >= starts.Length ? text.Length : starts[element];
    }

    /// <summary>The index of the text element that starts at (or after) char index <paramref name="charIndex"/>.</summary>
    internal static int ElementIndex(string text, int charIndex)
    {
        var starts = StringInfo.ParseCombiningCharacters(text);
        int i = 0;
        while (i < starts.Length && starts[i] < charIndex) i++;
        return i;
    }
}
