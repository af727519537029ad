// Tests of the key map: how Terminal.Gui keys become actions, and which keys are left to the input field.
using P2PChat.Peer.Tui.Input;
using Terminal.Gui.Input;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Input;

public sealed class KeyMapTests
{
    public static TheoryData<Key, int> AltDigits => new() { { Key.D1.WithAlt, 0 }, { Key.D5.WithAlt, 4 }, { Key.D9.WithAlt, 8 }, { Key.D0.WithAlt, 9 } };

    [Theory]
    [MemberData(nameof(AltDigits))]
    public void Alt_digits_pick_buffers(Key key, int index) =>
        Assert.Equal(new TuiAction(TuiActionKind.SwitchBuffer, Number: index), KeyMap.Map(key));

    public static TheoryData<Key, TuiActionKind> Bindings => new()
    {
        { Key.A.WithAlt, TuiActionKind.NextActivity },
        { Key.N.WithCtrl, TuiActionKind.NextBuffer },
        { Key.P.WithCtrl, TuiActionKind.PreviousBuffer },
        { Key.CursorRight.WithAlt, TuiActionKind.NextBuffer },
        { Key.CursorLeft.WithAlt, TuiActionKind.PreviousBuffer },
        { Key.W.WithCtrl, TuiActionKind.DeleteWordBackward },
        { Key.Backspace.WithAlt, TuiActionKind.DeleteWordBackward },
        { Key.U.WithCtrl, TuiActionKind.DeleteToStart },
        { Key.K.WithCtrl, TuiActionKind.DeleteToEnd },
        { Key.A.WithCtrl, TuiActionKind.LineStart },
        { Key.E.WithCtrl, TuiActionKind.LineEnd },
        { Key.B.WithCtrl, TuiActionKind.CursorLeft },
        { Key.F.WithCtrl, TuiActionKind.CursorRight },
        { Key.C.WithCtrl, TuiActionKind.Quit },
        { Key.L.WithCtrl, TuiActionKind.Redraw },
        { Key.Enter, TuiActionKind.Submit },
        { Key.Tab, TuiActionKind.Complete },
        { Key.Tab.WithShift, TuiActionKind.CompleteBackward },
        { Key.PageUp, TuiActionKind.PageUp },
        { Key.PageDown, TuiActionKind.PageDown },
        { Key.PageUp.WithShift, TuiActionKind.MembersUp },
        { Key.PageDown.WithShift, TuiActionKind.MembersDown },
        { Key.CursorUp.WithAlt, TuiActionKind.MembersUp },
        { Key.CursorDown.WithAlt, TuiActionKind.MembersDown },
        { Key.CursorUp, TuiActionKind.HistoryOlder },
        { Key.CursorDown, TuiActionKind.HistoryNewer },
        { Key.Home, TuiActionKind.Home },
        { Key.End, TuiActionKind.End },
        { Key.Home.WithCtrl, TuiActionKind.ScrollTop },
        { Key.End.WithAlt, TuiActionKind.ScrollBottom },
        { Key.F7, TuiActionKind.ToggleMembers },
    };

    [Theory]
    [MemberData(nameof(Bindings))]
    public void Keys_map_to_their_actions(Key key, TuiActionKind expected) => Assert.Equal(expected, KeyMap.Map(key).Kind);

    [Fact]
    public void Typing_and_plain_editing_keys_belong_to_the_input_field()
    {
        foreach (var key in new[] { Key.A, Key.A.WithShift, new Key('é'), new Key("🎉"), Key.Space, Key.Backspace, Key.Delete, Key.CursorLeft, Key.CursorRight })
        {
            Assert.Equal(TuiActionKind.None, KeyMap.Map(key).Kind);
            Assert.True(KeyMap.IsEditingKey(key), key.ToString());
        }
    }

    [Fact]
    public void Terminal_gui_application_keys_are_neither_actions_nor_editing_so_the_screen_swallows_them()
    {
        foreach (var key in new[] { Key.Esc, Key.Z.WithCtrl, Key.F6, Key.F5, Key.Q.WithCtrl })
        {
            Assert.Equal(TuiActionKind.None, KeyMap.Map(key).Kind);
            Assert.False(KeyMap.IsEditingKey(key), key.ToString());
        }
    }
}
