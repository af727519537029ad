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
        await using var tmux = await TmuxSession.StartAsync($"dotnet '{BuiltPrograms.Peer}' --tui-demo", 100, 12, Ct);

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
}
