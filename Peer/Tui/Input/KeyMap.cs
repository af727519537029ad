// Maps a ConsoleKeyInfo to a TuiAction: the whole key binding table in one place.
namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// Bindings: Enter submit · Tab / Shift-Tab complete · Up/Down history · Left/Right, Home/End, Ctrl-A/E move ·
/// Backspace/Delete, Ctrl-W (word), Ctrl-U (to start), Ctrl-K (to end) delete · Alt-1..9, Alt-0 (10th) pick a
/// buffer · Ctrl-N/Ctrl-P, Alt-Right/Alt-Left next/previous buffer · Alt-A next buffer with activity ·
/// PgUp/PgDn scroll · Alt-Up/Alt-Down (or Shift-PgUp/Shift-PgDn) scroll the member list · Ctrl-Home/Ctrl-End (or Alt-Home/Alt-End) top/bottom of scrollback · F7 member list ·
/// Ctrl-L redraw · Ctrl-C quit. On Unix, .NET reports Ctrl-letter as the letter key with Control and a
/// control char, and ESC-prefixed keys as Alt; both encodings are accepted.
/// </summary>
public static class KeyMap
{
    /// <summary>The keys in one line, shown after the /help output.</summary>
    public const string Summary =
        "keys: Alt-1..9 buffers · Ctrl-N/Ctrl-P next/previous · Alt-A activity · PgUp/PgDn scroll · " +
        "Alt-Up/Alt-Down (Shift-PgUp/PgDn) member list · F7 members on/off · Tab complete · Up/Down history · Ctrl-C quit";

    public static TuiAction Map(ConsoleKeyInfo key)
    {
        bool alt = key.Modifiers.HasFlag(ConsoleModifiers.Alt);
        bool ctrl = key.Modifiers.HasFlag(ConsoleModifiers.Control);
        bool shift = key.Modifiers.HasFlag(ConsoleModifiers.Shift);

        switch (key.Key)
        {
            case ConsoleKey.Enter: return TuiActionKind.Submit;
            case ConsoleKey.Tab: return shift ? TuiActionKind.CompleteBackward : TuiActionKind.Complete;
            case ConsoleKey.Backspace: return ctrl || alt ? TuiActionKind.DeleteWordBackward : TuiActionKind.Backspace;
            case ConsoleKey.Delete: return TuiActionKind.Delete;
            case ConsoleKey.LeftArrow: return alt ? TuiActionKind.PreviousBuffer : TuiActionKind.CursorLeft;
            case ConsoleKey.RightArrow: return alt ? TuiActionKind.NextBuffer : TuiActionKind.CursorRight;
            case ConsoleKey.UpArrow: return alt ? TuiActionKind.MembersUp : TuiActionKind.HistoryOlder;
            case ConsoleKey.DownArrow: return alt ? TuiActionKind.MembersDown : TuiActionKind.HistoryNewer;
            case ConsoleKey.Home: return ctrl || alt ? TuiActionKind.ScrollTop : TuiActionKind.Home;
            case ConsoleKey.End: return ctrl || alt ? TuiActionKind.ScrollBottom : TuiActionKind.End;
            case ConsoleKey.PageUp: return shift ? TuiActionKind.MembersUp : TuiActionKind.PageUp;
            case ConsoleKey.PageDown: return shift ? TuiActionKind.MembersDown : TuiActionKind.PageDown;
            case ConsoleKey.F7: return TuiActionKind.ToggleMembers;
            case ConsoleKey.Escape: return TuiActionKind.None;
        }

        if (alt && !ctrl) return MapAlt(key);
        if (ControlLetter(key, ctrl) is { } letter) return MapControl(letter);
        return key.KeyChar == '\0' || char.IsControl(key.KeyChar) ? TuiActionKind.None : new TuiAction(TuiActionKind.InsertChar, key.KeyChar);
    }

    private static TuiAction MapAlt(ConsoleKeyInfo key)
    {
        char c = char.ToLowerInvariant(key.KeyChar);
        if (c == '\0' && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z) c = (char)('a' + (key.Key - ConsoleKey.A));
        if (c == '\0' && key.Key is >= ConsoleKey.D0 and <= ConsoleKey.D9) c = (char)('0' + (key.Key - ConsoleKey.D0));
        return c switch
        {
            >= '1' and <= '9' => new TuiAction(TuiActionKind.SwitchBuffer, Number: c - '1'),
            '0' => new TuiAction(TuiActionKind.SwitchBuffer, Number: 9),
            'a' => TuiActionKind.NextActivity,
            _ => TuiActionKind.None,
        };
    }

    private static TuiAction MapControl(char letter) => letter switch
    {
        'A' => TuiActionKind.LineStart,
        'E' => TuiActionKind.LineEnd,
        'W' => TuiActionKind.DeleteWordBackward,
        'U' => TuiActionKind.DeleteToStart,
        'K' => TuiActionKind.DeleteToEnd,
        'N' => TuiActionKind.NextBuffer,
        'P' => TuiActionKind.PreviousBuffer,
        'L' => TuiActionKind.Redraw,
        'C' => TuiActionKind.Quit,
        'B' => TuiActionKind.CursorLeft,
        'F' => TuiActionKind.CursorRight,
        _ => TuiActionKind.None,
    };

    /// <summary>The letter of a Ctrl-letter key, from the Control modifier or from a C0 control char.</summary>
    private static char? ControlLetter(ConsoleKeyInfo key, bool ctrl)
    {
        if (ctrl && key.Key is >= ConsoleKey.A and <= ConsoleKey.Z) return (char)('A' + (key.Key - ConsoleKey.A));
        if (key.KeyChar is >= '\x01' and <= '\x1a') return (char)('A' + key.KeyChar - 1);
        return null;
    }
}
