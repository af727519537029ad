// The real p2pchat TUI in a real terminal (tmux) against a real server, with a headless peer on the other side.
using System.Text.RegularExpressions;
using P2PChat.EndToEnd.Tests.Processes;
using P2PChat.TestSupport;
using Xunit;

namespace P2PChat.EndToEnd.Tests.Tui;

/// <summary>
/// Every wait polls the captured screen (TmuxSession.WaitForAsync) with a generous safety-net timeout; nothing sleeps.
/// The TUI's own keys come in through tmux send-keys, exactly as a person's would.
/// </summary>
public sealed class TuiInTmuxTests
{
    private const string CarolPassword = "carol's password";

    /// <summary>How tmux reports the highlighted nick's background (Theme.HighlightBackground, 255;255;0).</summary>
    private const string HighlightBackground = "48;2;255;255;0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TmuxSession> StartTuiAsync(string server, string profile, int width, int height, params string[] args)
    {
        // As every test peer: traffic only to loopback (no router asked for a port mapping, links offer 127.0.0.1 only).
        string[] words = [.. BuiltPrograms.Peer.Words, "--server", server, "--profile", profile, "--no-port-mapping", "--loopback-links-only", .. args];
        var command = string.Join(' ', words.Select(ProgramCommand.Quote));
        return TmuxSession.StartAsync(command, width, height, Ct, new Dictionary<string, string> { ["P2PCHAT_PASSWORD"] = CarolPassword });
    }

    /// <summary>The buffer list's row for <paramref name="buffer"/> (the text left of the first '│').</summary>
    private static string BufferRow(string screen, string buffer) =>
        screen.Split('\n').Select(l => l.Split('│')[0]).FirstOrDefault(cell => Regex.IsMatch(cell, $@"^\s*\d+ {Regex.Escape(buffer)}\b")) ?? "";

    private static string[] Lines(string screen) => screen.TrimEnd('\n').Split('\n');

    [Fact]
    public async Task Chat_in_general_and_privately_with_unread_counts_mentions_resize_and_history_after_a_restart()
    {
        TmuxSession.RequireTmux();
        // alice writes a screenful of backlog in one go: more than the flood limit lets through
        await using var cluster = await Cluster.StartAsync("--Rendezvous:MaxCommandsPerWindow=1000");
        using var profiles = new TempDirectory("p2pchat-tui");
        var alice = await cluster.SignedUpAsync("alice");
        var profile = profiles.Combine("carol");

        await using (var tui = await StartTuiAsync(cluster.Server.Address, profile, 100, 30, "--login", "carol", "--register-if-missing"))
        {
            await tui.WaitForTextAsync("signed in as carol", Ct);

            // a message in the current buffer
            await alice.SendAsync("/msg #general hello from alice");
            await tui.WaitForTextAsync("hello from alice", Ct);

            // a private message opens @alice, whose unread counter rises while #general stays current
            await alice.SendAsync("/msg carol psst, are you there?");
            var screen = await tui.WaitForAsync(s => BufferRow(s, "@alice").TrimEnd().EndsWith(" 1"), Ct);
            Assert.DoesNotContain("psst", screen);
            await alice.SendAsync("/msg carol second one");
            await tui.WaitForAsync(s => BufferRow(s, "@alice").TrimEnd().EndsWith(" 2"), Ct);

            // a mention is highlighted: the sender's nick on a yellow background (24-bit), unlike a plain message
            await alice.SendAsync("/msg #general hey @carol look here");
            await tui.WaitForTextAsync("hey @carol look here", Ct);
            var styled = Lines(await tui.CaptureAsync(Ct, escapes: true));
            Assert.Contains(HighlightBackground, styled.Single(l => l.Contains("hey @carol look here")));
            Assert.DoesNotContain(HighlightBackground, styled.Single(l => l.Contains("hello from alice")));

            // Alt-2 switches to the private buffer, clears its counter; typed text goes to alice
            await tui.SendKeysAsync(Ct, "M-2");
            screen = await tui.WaitForTextAsync("second one", Ct);
            Assert.Contains("psst, are you there?", screen);
            // The first PM opened a link (relayed: alice and carol are not friends), so the route shown depends on which
            // PM came last and when the link came up.
            Assert.Matches("via (server|relay)", Lines(screen)[^2]);
            await tui.TypeAsync("hi alice, all good", Ct);
            await tui.SendKeysAsync(Ct, "Enter");
            var reply = await alice.WaitForAsync("message", e => e.Is("from", "carol"));
            Assert.Equal(("alice", "hi alice, all good"), (reply.Str("to"), reply.Str("text")));
            await tui.WaitForTextAsync("hi alice, all good", Ct);
            Assert.Equal("2 @alice", BufferRow(await tui.CaptureAsync(Ct), "@alice").Trim());

            // errors appear inline in the current buffer; /help lists commands one per line
            await tui.TypeAsync("/nosuch", Ct);
            await tui.SendKeysAsync(Ct, "Enter");
            await tui.WaitForTextAsync("no command /nosuch", Ct);

            // resizing redraws the whole screen at the new size
            foreach (var (width, height) in new[] { (80, 24), (200, 60) })
            {
                await tui.ResizeAsync(width, height, Ct);
                screen = await tui.WaitForAsync(s =>
                {
                    var lines = Lines(s);
                    return lines.Length == height && lines[0].StartsWith(" @alice") && lines[^2].Contains("carol@")
                        && s.Contains("hi alice, all good") && BufferRow(s, "#general").Length > 0;
                }, Ct);
                Assert.DoesNotContain(Lines(screen), l => l.Contains("hello from alice")); // nothing left over from #general
            }

            // more than a screenful in #general, to scroll back through after the restart
            for (var i = 1; i <= 40; i++) await alice.SendAsync($"/msg #general backlog {i:D2}");
            await tui.SendKeysAsync(Ct, "M-1");
            await tui.WaitForTextAsync("backlog 40", Ct);

            await tui.SendKeysAsync(Ct, "C-c");
            await tui.WaitForExitAsync(Ct);
        }
        await alice.WaitForPresenceAsync("carol", "offline");

        // history survives a restart: both conversations are back in their buffers
        await using (var tui = await StartTuiAsync(cluster.Server.Address, profile, 100, 30, "--login", "carol"))
        {
            var screen = await tui.WaitForTextAsync("signed in as carol", Ct);
            Assert.Contains("backlog 40", screen);
            Assert.DoesNotContain("backlog 01", screen);

            // scrollback from history: Home (empty input line) goes to the top, End back to the bottom
            await tui.SendKeysAsync(Ct, "Home");
            screen = await tui.WaitForAsync(s => s.Contains("backlog 01") && Lines(s)[^2].Contains("-MORE("), Ct);
            Assert.Contains("hello from alice", screen);
            Assert.Contains("hey @carol look here", screen);
            await tui.SendKeysAsync(Ct, "End");
            await tui.WaitForTextAsync("backlog 40", Ct);

            await tui.SendKeysAsync(Ct, "M-2");
            screen = await tui.WaitForTextAsync("hi alice, all good", Ct);
            Assert.Contains("psst, are you there?", screen);
            await tui.TypeAsync("/quit", Ct);
            await tui.SendKeysAsync(Ct, "Enter");
            await tui.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task First_run_dialog_registers_with_the_password_masked_and_remembers_no_password()
    {
        TmuxSession.RequireTmux();
        await using var cluster = await Cluster.StartAsync();
        using var profiles = new TempDirectory("p2pchat-tui");
        var profile = profiles.Combine("dave");
        const string password = "dave-secret-1";

        await using var tui = await StartTuiAsync(cluster.Server.Address, profile, 100, 30);
        // the dialog offers the server from the command line; with no user known, "register" is ticked and the user field has the focus
        var screen = await tui.WaitForTextAsync("Welcome to P2PChat", Ct);
        await tui.WaitForAsync(s => s.Contains($"Server (host:port): {cluster.Server.Address}") && s.Contains("☑ Register a new account"), Ct);
        await tui.TypeAsync("dave", Ct);
        await tui.SendKeysAsync(Ct, "Tab");
        await tui.TypeAsync(password, Ct);
        await tui.SendKeysAsync(Ct, "Tab");
        await tui.TypeAsync(password, Ct);
        screen = await tui.WaitForAsync(s => s.Split('\n').Count(l => l.Contains(new string('∙', password.Length))) == 2, Ct);
        Assert.DoesNotContain(password, screen);
        await tui.SendKeysAsync(Ct, "Enter");

        await tui.WaitForTextAsync("signed in as dave", Ct);
        var saved = await File.ReadAllTextAsync(Path.Combine(profile, "profile.json"), Ct);
        Assert.Contains(cluster.Server.Address, saved);
        Assert.Contains("\"dave\"", saved);
        Assert.DoesNotContain(password, saved);

        await tui.SendKeysAsync(Ct, "C-c");
        await tui.WaitForExitAsync(Ct);
    }
}
