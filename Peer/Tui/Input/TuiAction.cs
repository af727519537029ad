// What a key press means to the TUI, independent of how the terminal encoded it.
namespace P2PChat.Peer.Tui.Input;

public enum TuiActionKind
{
    None,
    InsertChar,
    Submit,
    Backspace,
    Delete,
    CursorLeft,
    CursorRight,
    /// <summary>Home: start of the input line, or top of scrollback when the line is empty.</summary>
    Home,
    /// <summary>End: end of the input line, or bottom of scrollback when the line is empty.</summary>
    End,
    LineStart,
    LineEnd,
    HistoryOlder,
    HistoryNewer,
    DeleteWordBackward,
    DeleteToStart,
    DeleteToEnd,
    Complete,
    CompleteBackward,
    /// <summary>Switch to the buffer at 0-based position <see cref="TuiAction.Number"/>.</summary>
    SwitchBuffer,
    NextBuffer,
    PreviousBuffer,
    NextActivity,
    PageUp,
    PageDown,
    ScrollTop,
    ScrollBottom,
    ToggleMembers,
    /// <summary>Alt-Up / Shift-PgUp: the member list a page up (towards its top).</summary>
    MembersUp,
    /// <summary>Alt-Down / Shift-PgDn: the member list a page down.</summary>
    MembersDown,
    Redraw,
    Quit,
}

/// <param name="Char">The typed char for <see cref="TuiActionKind.InsertChar"/>.</param>
/// <param name="Number">The buffer position for <see cref="TuiActionKind.SwitchBuffer"/>.</param>
public readonly record struct TuiAction(TuiActionKind Kind, char Char = '\0', int Number = 0)
{
    public static implicit operator TuiAction(TuiActionKind kind) => new(kind);
}
