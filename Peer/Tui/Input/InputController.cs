// Applies key actions to the view state and the input line, and hands submitted lines on.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// Runs on the key-reading thread: it only changes state (under the view state's lock) and marks the screen
/// dirty; drawing is the render loop's job. Submitted lines go to <paramref name="submit"/> after the lock is released.
/// </summary>
public sealed class InputController(ChatViewState state, Action<string> submit)
{
    public void Handle(ConsoleKeyInfo key) => Apply(KeyMap.Map(key));

    public void Apply(TuiAction action)
    {
        string? submitted;
        lock (state.Gate) submitted = ApplyLocked(action, state.Input);
        state.MarkDirty();
        if (!string.IsNullOrWhiteSpace(submitted)) submit(submitted);
    }

    private string? ApplyLocked(TuiAction action, InputLine input)
    {
        var editor = input.Editor;
        if (action.Kind is not (TuiActionKind.Complete or TuiActionKind.CompleteBackward)) input.Completer.Reset();
        switch (action.Kind)
        {
            case TuiActionKind.InsertChar: editor.TypeChar(action.Char); break;
            case TuiActionKind.Submit:
                var line = editor.Take();
                input.History.Add(line);
                state.ScrollToBottom();
                return line;
            case TuiActionKind.Backspace: editor.Backspace(); break;
            case TuiActionKind.Delete: editor.Delete(); break;
            case TuiActionKind.CursorLeft: editor.MoveLeft(); break;
            case TuiActionKind.CursorRight: editor.MoveRight(); break;
            case TuiActionKind.LineStart: editor.MoveHome(); break;
            case TuiActionKind.LineEnd: editor.MoveEnd(); break;
            case TuiActionKind.Home when editor.Text.Length == 0: state.ScrollToTop(); break;
            case TuiActionKind.Home: editor.MoveHome(); break;
            case TuiActionKind.End when editor.Text.Length == 0: state.ScrollToBottom(); break;
            case TuiActionKind.End: editor.MoveEnd(); break;
            case TuiActionKind.HistoryOlder when input.History.Older(editor.Text) is { } older: editor.SetText(older); break;
            case TuiActionKind.HistoryNewer when input.History.Newer() is { } newer: editor.SetText(newer); break;
            case TuiActionKind.DeleteWordBackward: editor.DeleteWordBackward(); break;
            case TuiActionKind.DeleteToStart: editor.DeleteToStart(); break;
            case TuiActionKind.DeleteToEnd: editor.DeleteToEnd(); break;
            case TuiActionKind.Complete or TuiActionKind.CompleteBackward:
                var sources = new CompletionSources(state.Commands, state.NicksForCompletion(), state.ChannelsForCompletion());
                input.Completer.Complete(editor, sources, backward: action.Kind == TuiActionKind.CompleteBackward);
                break;
            case TuiActionKind.SwitchBuffer: state.SwitchToIndex(action.Number); break;
            case TuiActionKind.NextBuffer: state.NextBuffer(); break;
            case TuiActionKind.PreviousBuffer: state.PreviousBuffer(); break;
            case TuiActionKind.NextActivity: state.NextActivity(); break;
            case TuiActionKind.PageUp: state.ScrollPages(1); break;
            case TuiActionKind.PageDown: state.ScrollPages(-1); break;
            case TuiActionKind.ScrollTop: state.ScrollToTop(); break;
            case TuiActionKind.ScrollBottom: state.ScrollToBottom(); break;
            case TuiActionKind.ToggleMembers: state.ToggleMembers(); break;
            case TuiActionKind.MembersUp: state.ScrollMembers(-1); break;
            case TuiActionKind.MembersDown: state.ScrollMembers(1); break;
            case TuiActionKind.Redraw: state.RequestFullRedraw(); break;
            case TuiActionKind.Quit: state.RequestQuit(); break;
        }
        return null;
    }
}
