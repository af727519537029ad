// Tests of the key map: how terminal key events become actions.
using P2PChat.Peer.Tui.Input;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Input;

public sealed class KeyMapTests
{
    private static TuiAction Map(char c, ConsoleKey key, bool shift = false, bool alt = false, bool ctrl = false) =>
        KeyMap.Map(new ConsoleKeyInfo(c, key, shift, alt, ctrl));

    [Theory]
    [InlineData('1', ConsoleKey.D1, 0)]
    [InlineData('5', ConsoleKey.D5, 4)]
    [InlineData('9', ConsoleKey.D9, 8)]
    [InlineData('0', ConsoleKey.D0, 9)]
    public void Alt_digits_pick_buffers(char c, ConsoleKey key, int index) =>
        Assert.Equal(new TuiAction(TuiActionKind.SwitchBuffer, Number: index), Map(c, key, alt: true));

    [Fact]
    public void Alt_a_jumps_to_activity() => Assert.Equal(TuiActionKind.NextActivity, Map('a', ConsoleKey.A, alt: true).Kind);

    [Theory]
    [InlineData('\x0e', ConsoleKey.N, TuiActionKind.NextBuffer)]
    [InlineData('\x10', ConsoleKey.P, TuiActionKind.PreviousBuffer)]
    [InlineData('\x17', ConsoleKey.W, TuiActionKind.DeleteWordBackward)]
    [InlineData('\x15', ConsoleKey.U, TuiActionKind.DeleteToStart)]
    [InlineData('\x01', ConsoleKey.A, TuiActionKind.LineStart)]
    [InlineData('\x05', ConsoleKey.E, TuiActionKind.LineEnd)]
    [InlineData('\x03', ConsoleKey.C, TuiActionKind.Quit)]
    public void Ctrl_letters_map_by_modifier(char c, ConsoleKey key, TuiActionKind expected) =>
        Assert.Equal(expected, Map(c, key, ctrl: true).Kind);

    [Fact]
    public void Ctrl_letters_map_by_control_char_without_a_modifier() =>
        Assert.Equal(TuiActionKind.DeleteWordBackward, Map('\x17', 0).Kind);

    [Theory]
    [InlineData(ConsoleKey.PageUp, TuiActionKind.PageUp)]
    [InlineData(ConsoleKey.PageDown, TuiActionKind.PageDown)]
    [InlineData(ConsoleKey.F7, TuiActionKind.ToggleMembers)]
    [InlineData(ConsoleKey.UpArrow, TuiActionKind.HistoryOlder)]
    [InlineData(ConsoleKey.DownArrow, TuiActionKind.HistoryNewer)]
    [InlineData(ConsoleKey.Home, TuiActionKind.Home)]
    [InlineData(ConsoleKey.End, TuiActionKind.End)]
    [InlineData(ConsoleKey.Delete, TuiActionKind.Delete)]
    public void Special_keys(ConsoleKey key, TuiActionKind expected) => Assert.Equal(expected, Map('\0', key).Kind);

    [Fact]
    public void Enter_tab_and_backspace_are_not_mistaken_for_ctrl_letters()
    {
        Assert.Equal(TuiActionKind.Submit, Map('\r', ConsoleKey.Enter).Kind);
        Assert.Equal(TuiActionKind.Complete, Map('\t', ConsoleKey.Tab).Kind);
        Assert.Equal(TuiActionKind.CompleteBackward, Map('\t', ConsoleKey.Tab, shift: true).Kind);
        Assert.Equal(TuiActionKind.Backspace, Map('\x7f', ConsoleKey.Backspace).Kind);
    }

    [Fact]
    public void Ctrl_home_and_end_scroll_to_the_ends()
    {
        Assert.Equal(TuiActionKind.ScrollTop, Map('\0', ConsoleKey.Home, ctrl: true).Kind);
        Assert.Equal(TuiActionKind.ScrollBottom, Map('\0', ConsoleKey.End, alt: true).Kind);
    }

    [Fact]
    public void Printable_chars_and_surrogate_halves_are_typed()
    {
        Assert.Equal(new TuiAction(TuiActionKind.InsertChar, 'x'), Map('x', ConsoleKey.X));
        Assert.Equal(new TuiAction(TuiActionKind.InsertChar, '\uD83D'), Map('\uD83D', 0));
        Assert.Equal(new TuiAction(TuiActionKind.InsertChar, 'é'), Map('é', 0));
    }

    [Theory]
    [InlineData(ConsoleKey.UpArrow, false, true, TuiActionKind.MembersUp)]
    [InlineData(ConsoleKey.DownArrow, false, true, TuiActionKind.MembersDown)]
    [InlineData(ConsoleKey.PageUp, true, false, TuiActionKind.MembersUp)]
    [InlineData(ConsoleKey.PageDown, true, false, TuiActionKind.MembersDown)]
    [InlineData(ConsoleKey.UpArrow, false, false, TuiActionKind.HistoryOlder)]
    [InlineData(ConsoleKey.PageDown, false, false, TuiActionKind.PageDown)]
    public void Alt_arrows_and_shift_pages_scroll_the_member_list(ConsoleKey key, bool shift, bool alt, TuiActionKind expected) =>
        Assert.Equal(expected, Map('\0', key, shift: shift, alt: alt).Kind);
}
