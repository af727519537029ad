// Tests of Tab completion: nicks, @nicks, commands, channels, cycling forwards and backwards, resetting.
using P2PChat.Peer.Tui.Input;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class TabCompleterTests
{
    private static readonly CompletionSources Sources = new(
        Commands: ["/join", "/help", "/msg", "/me"],
        Nicks: ["alice", "alan", "bob"],
        Channels: ["#general", "#go", "#rust"]);

    private static (LineEditor Editor, TabCompleter Completer) Start(string text)
    {
        var editor = new LineEditor();
        editor.SetText(text);
        return (editor, new TabCompleter());
    }

    [Fact]
    public void A_nick_at_the_line_start_gets_a_colon_and_cycles_through_matches()
    {
        var (editor, completer) = Start("al");
        Assert.True(completer.Complete(editor, Sources));
        Assert.Equal("alan: ", editor.Text);
        Assert.True(completer.Complete(editor, Sources));
        Assert.Equal("alice: ", editor.Text);
        Assert.True(completer.Complete(editor, Sources));
        Assert.Equal("alan: ", editor.Text);
    }

    [Fact]
    public void Shift_tab_cycles_backwards()
    {
        var (editor, completer) = Start("al");
        completer.Complete(editor, Sources, backward: true);
        Assert.Equal("alice: ", editor.Text);
        completer.Complete(editor, Sources, backward: true);
        Assert.Equal("alan: ", editor.Text);
    }

    [Fact]
    public void A_nick_inside_the_line_gets_a_space_and_keeps_the_rest()
    {
        var (editor, completer) = Start("hi bo and more");
        editor.SetText("hi bo and more", cursor: 5);
        completer.Complete(editor, Sources);
        Assert.Equal("hi bob and more", editor.Text);
        Assert.Equal(7, editor.Cursor);
    }

    [Fact]
    public void At_nick_keeps_the_at_sign()
    {
        var (editor, completer) = Start("ping @b");
        completer.Complete(editor, Sources);
        Assert.Equal("ping @bob ", editor.Text);
    }

    [Fact]
    public void Commands_complete_only_at_the_line_start()
    {
        var (editor, completer) = Start("/m");
        completer.Complete(editor, Sources);
        Assert.Equal("/me ", editor.Text);
        completer.Complete(editor, Sources);
        Assert.Equal("/msg ", editor.Text);

        (editor, completer) = Start("say /m");
        Assert.False(completer.Complete(editor, Sources));
        Assert.Equal("say /m", editor.Text);
    }

    [Fact]
    public void Channels_complete_after_a_command()
    {
        var (editor, completer) = Start("/join #r");
        completer.Complete(editor, Sources);
        Assert.Equal("/join #rust ", editor.Text);
    }

    [Fact]
    public void Editing_between_tabs_starts_a_new_completion()
    {
        var (editor, completer) = Start("al");
        completer.Complete(editor, Sources);
        editor.SetText("b");
        completer.Complete(editor, Sources);
        Assert.Equal("bob: ", editor.Text);
    }

    [Fact]
    public void No_match_changes_nothing()
    {
        var (editor, completer) = Start("zed");
        Assert.False(completer.Complete(editor, Sources));
        Assert.Equal("zed", editor.Text);
    }
}

/// <summary>Lets the tests complete in a LineEditor, as the input controller does.</summary>
internal static class TabCompleterOnEditor
{
    public static bool Complete(this TabCompleter completer, LineEditor editor, CompletionSources sources, bool backward = false)
    {
        if (completer.Complete(editor.Text, editor.Cursor, sources, backward) is not { } done) return false;
        editor.SetText(done.Text, done.Cursor);
        return true;
    }
}
