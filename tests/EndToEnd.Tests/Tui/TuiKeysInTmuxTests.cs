// The member-list scroll keys and per-buffer drafts through a real terminal (tmux) on the TUI demo: no server needed.
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Tui;

/// <summary>
/// Proves that what tmux sends for Alt-Up/Alt-Down and Shift-PgDn reaches the TUI as those keys (the unit tests
/// fake ConsoleKeyInfo), and that a draft survives Alt-2 / Alt-1. Waits poll the screen; nothing sleeps.
/// </summary>
public sealed class TuiKeysInTmuxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string MemberColumn(string screen) =>
        string.Join('\n', screen.TrimEnd('\n').Split('\n').Select(l => l.Split('│') is { Length: >= 3 } cells ? cells[^1].TrimEnd() : ""));

    [Fact]
    public async Task Alt_arrows_and_shift_pages_scroll_a_long_member_list_and_drafts_follow_their_buffer()
    {
        TmuxSession.RequireTmux();
        // 12 rows: 9 rows of body, so the demo's 9 members do not fit under the header.
        await using var tmux = await TmuxSession.StartAsync($"{BuiltPrograms.Peer.Shell} --tui-demo", 100, 12, Ct);

        var top = await tmux.WaitForAsync(s => MemberColumn(s).Contains("+2 more"), Ct);
        Assert.Contains("+alice", MemberColumn(top));

        await tmux.SendKeysAsync(Ct, "M-Down");
        var scrolled = await tmux.WaitForAsync(s => MemberColumn(s).Contains("+2 above"), Ct);
        Assert.DoesNotContain("+alice", MemberColumn(scrolled));
        Assert.Contains(" frank", MemberColumn(scrolled));

        await tmux.SendKeysAsync(Ct, "M-Up");
        await tmux.WaitForAsync(s => MemberColumn(s).Contains("+alice"), Ct);
        await tmux.SendKeysAsync(Ct, "S-NPage");
        await tmux.WaitForAsync(s => MemberColumn(s).Contains("+2 above"), Ct);

        await tmux.TypeAsync("half typed", Ct);
        await tmux.WaitForAsync(s => s.TrimEnd('\n').EndsWith("[#general] half typed", StringComparison.Ordinal), Ct);
        await tmux.SendKeysAsync(Ct, "M-2");
        await tmux.WaitForAsync(s => s.TrimEnd('\n').Split('\n')[^1].TrimEnd() == "[#rust]", Ct);
        await tmux.SendKeysAsync(Ct, "M-1");
        await tmux.WaitForAsync(s => s.TrimEnd('\n').EndsWith("[#general] half typed", StringComparison.Ordinal), Ct);
    }

    [Fact]
    public async Task A_mouse_click_on_a_buffer_switches_to_it_and_a_click_on_a_member_opens_a_private_buffer()
    {
        TmuxSession.RequireTmux();
        await using var tmux = await TmuxSession.StartAsync($"{BuiltPrograms.Peer.Shell} --tui-demo", 100, 30, Ct);
        var screen = await tmux.WaitForAsync(s => s.StartsWith(" #general", StringComparison.Ordinal) && MemberColumn(s).Contains("+alice"), Ct);

        // tmux passes what a terminal sends for a click in SGR mouse mode (1006): press and release, 1-based column;row
        await tmux.TypeAsync(SgrClick(column: 3, row: 3), Ct); // screen row 2: the second buffer, #rust
        await tmux.WaitForAsync(s => s.StartsWith(" #rust", StringComparison.Ordinal), Ct);

        await tmux.SendKeysAsync(Ct, "M-1");
        screen = await tmux.WaitForAsync(s => s.StartsWith(" #general", StringComparison.Ordinal), Ct);
        var lines = screen.TrimEnd('\n').Split('\n');
        int row = Array.FindIndex(lines, l => l.Contains("│+alice", StringComparison.Ordinal));
        int column = lines[row].IndexOf("+alice", StringComparison.Ordinal) + 2; // string index = cell here: the row left of it is ASCII
        await tmux.TypeAsync(SgrClick(column + 1, row + 1), Ct);
        await tmux.WaitForAsync(s => s.StartsWith(" @alice  private conversation", StringComparison.Ordinal), Ct);
    }

    [Theory]
    [InlineData("C-c")]
    [InlineData("/quit")]
    [InlineData("/crash")]
    [InlineData("SIGTERM")]
    [InlineData("SIGINT")]
    public async Task The_terminal_is_restored_after_ctrl_c_quit_a_crash_and_a_signal(string how)
    {
        TmuxSession.RequireTmux();
        using var folder = new TempDirectory("p2pchat-tty");
        var before = folder.Combine("before");
        var after = folder.Combine("after");
        // sh, not bash: no line editor of its own that could set keypad modes after the program; it then waits on
        // `read` so the pane stays alive (a dead pane reports its cursor as hidden)
        await using var tmux = await TmuxSession.StartAsync(
            $"sh -c \"stty -g > '{before}'; {BuiltPrograms.Peer.Shell} --tui-demo; stty -g > '{after}'; echo program-ended; read x\"", 100, 30, Ct);
        await tmux.WaitForAsync(s => s.StartsWith(" #general", StringComparison.Ordinal), Ct);
        Assert.Equal("1 1", await tmux.DisplayAsync("#{alternate_on} #{mouse_any_flag}", Ct)); // the UI changed the modes

        if (how.StartsWith('/'))
        {
            await tmux.TypeAsync(how, Ct);
            await tmux.SendKeysAsync(Ct, "Enter");
        }
        else if (how.StartsWith("SIG", StringComparison.Ordinal))
        {
            // the program is the shell's only child (sh waits for it in the foreground)
            var child = File.ReadAllText($"/proc/{tmux.PanePid}/task/{tmux.PanePid}/children").Trim();
            using var kill = System.Diagnostics.Process.Start("kill", ["-" + how[3..], child]);
            await kill.WaitForExitAsync(Ct);
            Assert.Equal(0, kill.ExitCode);
        }
        else
        {
            await tmux.SendKeysAsync(Ct, how);
        }
        await tmux.WaitForTextAsync("program-ended", Ct);

        Assert.Equal(File.ReadAllText(before), File.ReadAllText(after));
        // as in a fresh pane: normal cursor keys and keypad, no mouse reporting, main screen, cursor shown
        Assert.Equal("0 0 0 0 0 1", await tmux.DisplayAsync(
            "#{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_sgr_flag} #{alternate_on} #{cursor_flag}", Ct));
    }

    private static string SgrClick(int column, int row) => $"\e[<0;{column};{row}M\e[<0;{column};{row}m";

    [Fact]
    public async Task A_terminal_that_hangs_up_ends_the_program()
    {
        TmuxSession.RequireTmux();
        // exec: the pane's process is the program itself, so its exit is what is awaited.
        await using var tmux = await TmuxSession.StartAsync($"exec {BuiltPrograms.Peer.Shell} --tui-demo", 100, 30, Ct);
        await tmux.WaitForTextAsync("#general", Ct);

        await tmux.HangUpAsync();   // the terminal window closes: SIGHUP, and stdin/stdout are gone

        // Before, Terminal.Gui's input loop spun on the dead terminal forever at about 40 % of a core.
        Assert.True(await tmux.WaitForPaneExitAsync(TimeSpan.FromSeconds(30)), "p2pchat still runs after its terminal hung up");
    }
}
