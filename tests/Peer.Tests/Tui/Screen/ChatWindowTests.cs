// The main screen through Terminal.Gui's headless driver: layout, counts, wrapping, keys, scrolling, mouse, resize.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Terminal.Gui.Input;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Screen;

[Collection(TerminalGuiCollection.Name)]
public sealed class ChatWindowTests
{
    private readonly ChatViewState _state = new(new ManualTimeProvider());

    public ChatWindowTests()
    {
        _state.SetMyNick("carol");
        _state.SetConnection(ServerConnectionStatus.Connected, "carol", "127.0.0.1:7777");
        _state.SetCommands(["/help", "/join", "/msg", "/query"]);
        _state.SetMembers("#general", [new Member("alice", MemberPresence.Online), new Member("carol", MemberPresence.Online), new Member("bob", MemberPresence.Away)]);
    }

    private static string BufferRow(string[] lines, string buffer) =>
        lines.Skip(1).Select(l => l.Split('│')[0]).FirstOrDefault(c => c.Contains(" " + buffer)) ?? "";

    [Fact]
    public void The_screen_has_title_buffer_list_messages_members_status_and_prompt_in_their_places()
    {
        _state.AddMessage("#general", "alice", "hello from alice");
        _state.AddMessage("@bob", "bob", "psst");
        using var screen = new HeadlessScreen(_state);
        var lines = screen.Lines();

        Assert.Equal(24, lines.Length);
        Assert.StartsWith(" #general  3 members", lines[0]);
        Assert.StartsWith(" 1 #general", lines[1]);
        Assert.Matches(@"^ 2 @bob +1$", BufferRow(lines, "@bob"));
        Assert.Contains("alice │ hello from alice", lines[21]);
        Assert.EndsWith("│3/3 online  ", lines[1]);
        Assert.Contains("│+alice", lines[2]);
        Assert.Contains("│~bob", lines[4]);
        Assert.Contains("[connected] carol@127.0.0.1:7777 │ 1:#general", lines[22]);
        Assert.StartsWith("[#general] ", lines[23]);
    }

    [Fact]
    public void Long_messages_wrap_by_cell_width_and_wide_characters_stay_whole()
    {
        _state.AddMessage("#general", "alice", string.Join(' ', Enumerable.Repeat("日本語", 20)));
        using var screen = new HeadlessScreen(_state);
        var lines = screen.Lines();
        var messageRows = lines.Where(l => l.Contains("日本語")).ToList();
        Assert.True(messageRows.Count >= 3);
        Assert.All(messageRows, l => Assert.Equal(80, P2PChat.Peer.Tui.Text.CellText.Width(l)));
        Assert.All(messageRows, l => Assert.Contains("│+", l + "│+")); // rows stay aligned with the member column
    }

    [Fact]
    public void Typed_text_goes_to_the_input_line_and_enter_submits_it()
    {
        using var screen = new HeadlessScreen(_state);
        screen.Type("hi 🎉 all");
        Assert.Equal("[#general] hi 🎉 all", screen.Lines()[^1].TrimEnd());
        screen.Press(Key.Enter);
        Assert.Equal(["hi 🎉 all"], screen.Submitted);
        Assert.Equal("[#general]", screen.Lines()[^1].TrimEnd());
        screen.Press(Key.CursorUp);
        Assert.Equal("[#general] hi 🎉 all", screen.Lines()[^1].TrimEnd());
    }

    [Fact]
    public void Tab_completes_nicks_and_commands_in_the_input_field()
    {
        using var screen = new HeadlessScreen(_state);
        screen.Type("al");
        screen.Press(Key.Tab);
        Assert.Equal("[#general] alice:", screen.Lines()[^1].TrimEnd());
        screen.Press(Key.U.WithCtrl);
        screen.Type("/jo");
        screen.Press(Key.Tab);
        Assert.Equal("[#general] /join", screen.Lines()[^1].TrimEnd());
        Assert.Equal("/join ", _state.InputText);
    }

    [Fact]
    public void Alt_digits_and_ctrl_n_switch_buffers_and_keep_each_buffers_draft()
    {
        _state.AddMessage("@bob", "bob", "psst");
        _state.SetRoute("bob", PeerRoute.Server);
        using var screen = new HeadlessScreen(_state);
        screen.Type("half typed");
        screen.Press(Key.D2.WithAlt);
        var lines = screen.Lines();
        Assert.StartsWith(" @bob  private conversation", lines[0]);
        Assert.Contains("psst", string.Join('\n', lines));
        Assert.Contains("via server", lines[^2]);
        Assert.Equal("[@bob]", lines[^1].TrimEnd());
        Assert.Equal(" 2 @bob", BufferRow(lines, "@bob").TrimEnd());
        screen.Press(Key.N.WithCtrl);
        Assert.Equal("[#general] half typed", screen.Lines()[^1].TrimEnd());
    }

    [Fact]
    public void Esc_and_other_toolkit_keys_do_nothing_and_ctrl_c_asks_to_quit()
    {
        using var screen = new HeadlessScreen(_state);
        screen.Press(Key.Esc);
        screen.Press(Key.F6);
        Assert.True(screen.Window.IsRunning);
        Assert.False(_state.QuitRequested.IsCompleted);
        screen.Press(Key.C.WithCtrl);
        Assert.True(_state.QuitRequested.IsCompleted);
    }

    [Fact]
    public void Page_up_and_the_mouse_wheel_scroll_the_message_view_and_the_status_line_says_more()
    {
        for (int i = 1; i <= 100; i++) _state.AddMessage("#general", "alice", $"line {i:D3}");
        using var screen = new HeadlessScreen(_state);
        Assert.Contains("line 100", screen.Text());
        screen.Press(Key.PageUp);
        var lines = screen.Lines();
        Assert.DoesNotContain("line 100", string.Join('\n', lines));
        Assert.Contains("-MORE(", lines[^2]);
        screen.Press(Key.PageDown);
        Assert.Contains("line 100", screen.Text());

        screen.Wheel(40, 10, up: true);
        Assert.Equal(3, _state.Summary("#general")!.ScrollOffset);
        Assert.DoesNotContain("line 100", screen.Text());
        screen.Wheel(40, 10, up: false);
        Assert.Contains("line 100", screen.Text());
        screen.Press(Key.Home);
        Assert.Contains("line 001", screen.Text());
    }

    [Fact]
    public void Clicking_a_buffer_switches_to_it_and_clicking_a_member_opens_a_private_buffer()
    {
        _state.OpenBuffer("#rust");
        using var screen = new HeadlessScreen(_state);
        screen.Lines();
        screen.Click(3, 2); // row 2 of the screen: the 2nd buffer
        Assert.Equal("#rust", _state.CurrentBufferId);
        screen.Press(Key.D1.WithAlt);
        var lines = screen.Lines();
        int row = Array.FindIndex(lines, l => l.Contains("│+alice"));
        screen.Click(lines[row].IndexOf("+alice", StringComparison.Ordinal) + 2, row);
        Assert.Equal("@alice", _state.CurrentBufferId);
        Assert.StartsWith(" @alice", screen.Lines()[0]);
    }

    [Fact]
    public void F7_hides_the_member_list_and_a_resize_lays_everything_out_again()
    {
        using var screen = new HeadlessScreen(_state);
        Assert.Contains("3/3 online", screen.Text());
        screen.Press(Key.F7);
        Assert.DoesNotContain("3/3 online", screen.Text());
        screen.Press(Key.F7);
        Assert.Contains("3/3 online", screen.Text());
        screen.Resize(200, 60);
        var lines = screen.Lines();
        Assert.Equal(60, lines.Length);
        Assert.Equal(200, lines[0].Length);
        Assert.Contains("3/3 online", lines[1]);
        Assert.StartsWith("[#general]", lines[59]);
    }

    [Fact]
    public void A_mention_is_highlighted_a_buzz_flashes_the_status_line_and_both_ring_the_bell()
    {
        _state.AddMessage("#general", "alice", "plain words");
        _state.AddMessage("#general", "bob", "hey @carol look");
        using var screen = new HeadlessScreen(_state);
        var ansi = screen.Ansi().Split('\n');
        var bg = Theme.HighlightBackground;
        var highlight = $"48;2;{bg.R};{bg.G};{bg.B}";
        Assert.Contains(highlight, ansi.Single(l => l.Contains("hey @carol look")));
        Assert.DoesNotContain(highlight, ansi.Single(l => l.Contains("plain words")));
        Assert.True(_state.TakeBells() > 0);

        _state.Buzz("bob");
        Assert.StartsWith(" BUZZ from bob", screen.Lines()[^2]);
    }

    [Fact]
    public void Escape_sequences_from_other_users_never_reach_the_screen()
    {
        _state.AddMessage("#general", "mallory\e[2J", "evil \e[31mred\a text\e]0;title\a");
        using var screen = new HeadlessScreen(_state);
        var ansi = screen.Ansi();
        Assert.DoesNotContain("\e[2J", ansi);
        Assert.DoesNotContain("\e[31m", ansi);
        Assert.DoesNotContain("\e]0;", ansi);
        Assert.Contains("evil", screen.Text());
    }
}
