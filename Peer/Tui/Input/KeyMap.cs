// Maps a Terminal.Gui key to a TuiAction: the whole key binding table of the main screen in one place.
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;

namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// Bindings: Enter submit · Tab / Shift-Tab complete · Up/Down history · Home/End, Ctrl-A/E, Ctrl-B/F move ·
/// Ctrl-W (word), Ctrl-U (to start), Ctrl-K (to end) delete · Alt-1..9, Alt-0 (10th) pick a
/// buffer · Ctrl-N/Ctrl-P, Alt-Right/Alt-Left next/previous buffer · Alt-A next buffer with activity ·
/// PgUp/PgDn scroll · Alt-Up/Alt-Down (or Shift-PgUp/Shift-PgDn) scroll the member list · Ctrl-Home/Ctrl-End (or
/// Alt-Home/Alt-End) top/bottom of scrollback · F7 member list · Ctrl-L redraw · Ctrl-C quit.
/// Keys mapped to <see cref="TuiActionKind.None"/> that <see cref="IsEditingKey"/> accepts (typing, Backspace,
/// Delete, Left/Right) belong to the input field; every other key is swallowed, so Terminal.Gui's own
/// application keys (Esc quits, Ctrl-Z suspends, F6/Tab move focus) never fire on the main screen.
/// </summary>
public static class KeyMap
{
    /// <summary>The keys in one line, shown after the /help output.</summary>
    public const string Summary =
        "keys: Alt-1..9 buffers · Ctrl-N/Ctrl-P next/previous · Alt-A activity · PgUp/PgDn scroll · " +
        "Alt-Up/Alt-Down (Shift-PgUp/PgDn) member list · F7 members on/off · Tab complete · Up/Down history · " +
        "mouse: click a buffer or a member, wheel scrolls · Ctrl-C quit";

    public static TuiAction Map(Key key)
    {
        bool alt = key.IsAlt, ctrl = key.IsCtrl, shift = key.IsShift;
        var bare = key.NoAlt.NoCtrl.NoShift.KeyCode;
        switch (bare)
        {
            case KeyCode.Enter: return TuiActionKind.Submit;
            case KeyCode.Tab: return shift ? TuiActionKind.CompleteBackward : TuiActionKind.Complete;
            case KeyCode.Backspace when ctrl || alt: return TuiActionKind.DeleteWordBackward;
            case KeyCode.CursorLeft when alt: return TuiActionKind.PreviousBuffer;
            case KeyCode.CursorRight when alt: return TuiActionKind.NextBuffer;
            case KeyCode.CursorUp: return alt ? TuiActionKind.MembersUp : TuiActionKind.HistoryOlder;
            case KeyCode.CursorDown: return alt ? TuiActionKind.MembersDown : TuiActionKind.HistoryNewer;
            case KeyCode.Home: return ctrl || alt ? TuiActionKind.ScrollTop : TuiActionKind.Home;
            case KeyCode.End: return ctrl || alt ? TuiActionKind.ScrollBottom : TuiActionKind.End;
            case KeyCode.PageUp: return shift ? TuiActionKind.MembersUp : TuiActionKind.PageUp;
            case KeyCode.PageDown: return shift ? TuiActionKind.MembersDown : TuiActionKind.PageDown;
            case KeyCode.F7: return TuiActionKind.ToggleMembers;
        }
        if (alt && !ctrl) return MapAlt(bare);
        if (ctrl && !alt) return MapControl(bare);
        return TuiActionKind.None;
    }

    /// <summary>Keys the input field edits with by itself: typing, Backspace, Delete, Left/Right.</summary>
    public static bool IsEditingKey(Key key)
    {
        if (key.IsAlt || key.IsCtrl) return false;
        var bare = key.NoShift.KeyCode;
        if (bare is KeyCode.Backspace or KeyCode.Delete or KeyCode.CursorLeft or KeyCode.CursorRight) return true;
        return key.AsRune.Value >= 0x20 && key.AsRune.Value != 0x7F;
    }

    private static TuiAction MapAlt(KeyCode bare) => bare switch
    {
        >= KeyCode.D1 and <= KeyCode.D9 => new TuiAction(TuiActionKind.SwitchBuffer, Number: (int)(bare - KeyCode.D1)),
        KeyCode.D0 => new TuiAction(TuiActionKind.SwitchBuffer, Number: 9),
        KeyCode.A => TuiActionKind.NextActivity,
        _ => TuiActionKind.None,
    };

    private static TuiAction MapControl(KeyCode bare) => bare switch
    {
        KeyCode.A => TuiActionKind.LineStart,
        KeyCode.E => TuiActionKind.LineEnd,
        KeyCode.W => TuiActionKind.DeleteWordBackward,
        KeyCode.U => TuiActionKind.DeleteToStart,
        KeyCode.K => TuiActionKind.DeleteToEnd,
        KeyCode.N => TuiActionKind.NextBuffer,
        KeyCode.P => TuiActionKind.PreviousBuffer,
        KeyCode.L => TuiActionKind.Redraw,
        KeyCode.C => TuiActionKind.Quit,
        KeyCode.B => TuiActionKind.CursorLeft,
        KeyCode.F => TuiActionKind.CursorRight,
        _ => TuiActionKind.None,
    };
}
