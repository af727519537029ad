// Tests of input editing by text element: cursor moves, deletes, Ctrl-W/U/K and surrogate pairs.
using P2PChat.Peer.Tui.Input;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Input;

public sealed class LineEditorTests
{
    private static LineEditor Typed(string text)
    {
        var editor = new LineEditor();
        foreach (char c in text) editor.TypeChar(c);
        return editor;
    }

    [Fact]
    public void Typing_inserts_at_the_cursor()
    {
        var editor = Typed("helo");
        editor.MoveLeft();
        editor.TypeChar('l');
        Assert.Equal("hello", editor.Text);
        Assert.Equal(4, editor.Cursor);
    }

    [Fact]
    public void An_emoji_arriving_as_two_key_events_is_inserted_whole()
    {
        var editor = Typed("a😀b");
        Assert.Equal("a😀b", editor.Text);
        Assert.Equal(4, editor.Cursor);
        Assert.Equal(4, editor.CursorCells); // a(1) + 😀(2) + b(1)
    }

    [Fact]
    public void A_lone_surrogate_half_is_dropped()
    {
        var editor = new LineEditor();
        editor.TypeChar('\uD83D');
        editor.TypeChar('x');
        editor.TypeChar('\uDE00');
        Assert.Equal("x", editor.Text);
    }

    [Fact]
    public void Left_right_backspace_and_delete_step_over_whole_emoji()
    {
        var editor = Typed("a😀b");
        editor.MoveLeft();
        editor.MoveLeft();
        Assert.Equal(1, editor.Cursor);
        editor.Delete();
        Assert.Equal("ab", editor.Text);
        editor.SetText("a👍🏽b");
        editor.MoveLeft();
        editor.Backspace();
        Assert.Equal("ab", editor.Text);
        Assert.Equal(1, editor.Cursor);
    }

    [Fact]
    public void Combining_marks_stay_with_their_letter()
    {
        var editor = Typed("e\u0301x");
        editor.MoveLeft();
        editor.MoveLeft();
        Assert.Equal(0, editor.Cursor);
        editor.MoveRight();
        Assert.Equal(2, editor.Cursor);
    }

    [Fact]
    public void Ctrl_w_deletes_the_word_before_the_cursor_and_trailing_spaces()
    {
        var editor = Typed("say hello  world   ");
        editor.DeleteWordBackward();
        Assert.Equal("say hello  ", editor.Text);
        editor.DeleteWordBackward();
        Assert.Equal("say ", editor.Text);
        editor.SetText("one two three", cursor: 7);
        editor.DeleteWordBackward();
        Assert.Equal("one  three", editor.Text);
        Assert.Equal(4, editor.Cursor);
    }

    [Fact]
    public void Ctrl_w_removes_an_emoji_word_whole()
    {
        var editor = Typed("hi 🎉🎉");
        editor.DeleteWordBackward();
        Assert.Equal("hi ", editor.Text);
    }

    [Fact]
    public void Ctrl_u_and_ctrl_k_cut_to_the_start_and_the_end()
    {
        var editor = Typed("hello world");
        editor.MoveHome();
        for (int i = 0; i < 5; i++) editor.MoveRight();
        editor.DeleteToEnd();
        Assert.Equal("hello", editor.Text);
        editor.MoveLeft();
        editor.DeleteToStart();
        Assert.Equal("o", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void Take_returns_the_line_and_empties_it()
    {
        var editor = Typed("hi");
        Assert.Equal("hi", editor.Take());
        Assert.Equal("", editor.Text);
        Assert.Equal(0, editor.Cursor);
    }

    [Fact]
    public void Pasted_control_chars_do_not_reach_the_line()
    {
        var editor = new LineEditor();
        editor.Insert("a\e[2Jb");
        Assert.DoesNotContain('\e', editor.Text);
    }
}
