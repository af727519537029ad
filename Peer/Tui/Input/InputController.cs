// Applies key actions to the view state and the input line, and hands submitted lines on.
using P2PChat.Peer.Tui.State;

namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// Runs on the UI thread: it only changes state (under the view state's lock) and marks the screen dirty;
/// drawing is the views' job. Editing actions work on the state's copy of the input line (the input field
/// reports its text first with <see cref="ChatViewState.SyncInput"/> and copies the result back when the
/// line's version moved). Submitted lines go to <paramref name="submit"/> after the lock is released.
/// </summary>
public sealed class InputController(ChatViewState state, Action<string> submit)
{
    public void Apply(TuiAction action)
    {
        string? submitted;
        lock (state.Gate) submitted = ApplyLocked(action, state.Input);
        state.MarkDirty();
        if (!string.IsNullOrWhiteSpace(submitted)) submit(submitted);
    }

    private string? ApplyLocked(TuiAction action, InputState input)
    {
        var editor = new LineEditor();
        editor.SetText(input.Line.Text, input.Line.Cursor);
        if (action.Kind is not (TuiActionKind.Complete or TuiActionKind.CompleteBackward)) input.Completer.Reset();
        switch (action.Kind)
        {
            case TuiActionKind.InsertChar: editor.TypeChar(action.Char); break;
            case TuiActionKind.Submit:
                var line = editor.Take();
                input.History.Add(line);
                input.Replace("", 0);
                state.ScrollToBottom();
                return line;
            case TuiActionKind.Backspace: editor.Backspace(); break;
            case TuiActionKind.Delete: editor.Delete(); break;
            case TuiActionKind.CursorLeft: editor.MoveLeft(); break;
            case TuiActionKind.CursorRight: editor.MoveRight(); break;
            case TuiActionKind.LineStart: editor.MoveHome(); break;
            case TuiActionKind.LineEnd: editor.MoveEnd(); break;
            case TuiActionKind.Home when editor.Text.Length == 0: state.ScrollToTop(); return null;
            case TuiActionKind.Home: editor.MoveHome(); break;
            case TuiActionKind.End when editor.Text.Length == 0: state.ScrollToBottom(); return null;
            case TuiActionKind.End: editor.MoveEnd(); break;
            case TuiActionKind.HistoryOlder when input.History.Older(editor.Text) is { } older: editor.SetText(older); break;
            case TuiActionKind.HistoryNewer when input.History.Newer() is { } newer: editor.SetText(newer); break;
            case TuiActionKind.DeleteWordBackward: editor.DeleteWordBackward(); break;
            case TuiActionKind.DeleteToStart: editor.DeleteToStart(); break;
            case TuiActionKind.DeleteToEnd: editor.DeleteToEnd(); break;
            case TuiActionKind.Complete or TuiActionKind.CompleteBackward:
                var sources = new CompletionSources(state.Commands, state.NicksForCompletion(), state.ChannelsForCompletion());
                if (input.Completer.Complete(editor.Text, editor.Cursor, sources, backward: action.Kind == TuiActionKind.CompleteBackward) is { } done)
                    editor.SetText(done.Text, done.Cursor);
                break;
            case TuiActionKind.SwitchBuffer: state.SwitchToIndex(action.Number); return null;
            case TuiActionKind.NextBuffer: state.NextBuffer(); return null;
            case TuiActionKind.PreviousBuffer: state.PreviousBuffer(); return null;
            case TuiActionKind.NextActivity: state.NextActivity(); return null;
            case TuiActionKind.PageUp: state.ScrollPages(1); return null;
            case TuiActionKind.PageDown: state.ScrollPages(-1); return null;
            case TuiActionKind.ScrollTop: state.ScrollToTop(); return null;
            case TuiActionKind.ScrollBottom: state.ScrollToBottom(); return null;
            case TuiActionKind.ToggleMembers: state.ToggleMembers(); return null;
            case TuiActionKind.MembersUp: state.ScrollMembers(-1); return null;
            case TuiActionKind.MembersDown: state.ScrollMembers(1); return null;
            case TuiActionKind.Redraw: state.RequestFullRedraw(); return null;
            case TuiActionKind.Quit: state.RequestQuit(); return null;
            default: return null;
        }
        if (editor.Text != input.Line.Text || editor.Cursor != input.Line.Cursor) input.Replace(editor.Text, editor.Cursor);
        return null;
    }
}
