// Tests of whole-frame composition at 80x24 and 200x60: regions, exact sizes, cursor, too-small terminals.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Rendering;
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Text;
using Spectre.Console.Rendering;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Rendering;

public sealed class FrameComposerTests
{
    private static ChatViewState ChatState()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        state.SetMyNick("me");
        state.SetConnection(ConnectionState.Connected, "me", "localhost:7777");
        state.SetTitle("#general", "Welcome");
        state.SetMembers("#general", [new Member("alice", Presence.Online), new Member("bob", Presence.Away)]);
        state.OpenBuffer("#rust");
        state.AddMessage("#general", "alice", "hello everyone");
        state.AddMessage("#rust", "bob", "crabs @me");
        state.AddMessage("@bob", "bob", "psst");
        return state;
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(200, 60)]
    public void Frame_has_every_region_and_exact_size(int width, int height)
    {
        var frame = FrameComposer.Compose(ChatState(), width, height);
        var lines = frame.PlainLines();

        Assert.Equal(height, lines.Count);
        Assert.All(frame.Rows, row => Assert.Equal(width, row.CellCount()));
        Assert.All(lines, line => Assert.Equal(width, CellText.Width(line)));
        Assert.StartsWith(" #general  2 members │ Welcome", lines[0]);                 // title bar
        Assert.StartsWith(" 1 #general", lines[1]);                                     // buffer list
        Assert.Contains(lines, l => l.StartsWith(" 2 #rust") && l.Split('│')[0].EndsWith(" 1 1!"));  // unread + highlight
        Assert.Contains(lines, l => l.StartsWith(" 3 @bob") && l.Split('│')[0].EndsWith(" 1"));      // unread
        Assert.Contains("alice │ hello everyone", lines[height - 3]);                    // newest message at the bottom
        Assert.Contains("2/2 online", lines[1]);                                         // member list
        Assert.StartsWith("[12:00] [connected] me@localhost:7777 │ 1:#general", lines[height - 2]);
        Assert.StartsWith("[#general] ", lines[height - 1]);
        Assert.Equal((height - 1, 11), (frame.CursorRow, frame.CursorColumn));
    }

    [Fact]
    public void F7_hides_the_member_list_and_widens_the_messages()
    {
        var state = ChatState();
        var with = FrameComposer.Compose(state, 120, 30).PlainLines();
        state.ToggleMembers();
        var without = FrameComposer.Compose(state, 120, 30).PlainLines();
        Assert.Contains("online", with[1]);
        Assert.DoesNotContain("online", without[1]);
        Assert.Equal(120, CellText.Width(without[1]));
    }

    [Fact]
    public void A_private_buffer_has_no_member_list_and_shows_the_route()
    {
        var state = ChatState();
        state.SetRoute("bob", PeerRoute.Direct);
        state.SwitchTo("@bob");
        var lines = FrameComposer.Compose(state, 100, 20).PlainLines();
        Assert.DoesNotContain(lines, l => l.Contains("online"));
        Assert.Contains("via direct", lines[18]);
        Assert.Contains("private conversation", lines[0]);
    }

    [Fact]
    public void Composing_records_the_message_viewport_used_for_scrolling()
    {
        var state = ChatState();
        FrameComposer.Compose(state, 80, 24);
        Assert.Equal(21, state.Viewport.Height);
        FrameComposer.Compose(state, 200, 60);
        Assert.Equal(57, state.Viewport.Height);
    }

    [Fact]
    public void A_tiny_terminal_gets_a_notice_instead_of_a_broken_layout()
    {
        var frame = FrameComposer.Compose(ChatState(), 20, 4);
        Assert.Equal("terminal too small", frame.PlainLines()[0].TrimEnd());
        Assert.All(frame.Rows, (SegmentLine row) => Assert.Equal(20, row.CellCount()));
    }

    [Fact]
    public void Ansi_lines_carry_the_same_text_with_styles()
    {
        var frame = FrameComposer.Compose(ChatState(), 80, 24);
        var ansi = frame.AnsiLines();
        Assert.Equal(24, ansi.Count);
        Assert.Contains("\e[", ansi[0]);
        string Strip(string s) => System.Text.RegularExpressions.Regex.Replace(s, "\e\\[[0-9;]*m", "");
        Assert.Equal(frame.PlainLines(), ansi.Select(Strip));
    }

    [Fact]
    public async Task Composing_while_another_thread_adds_messages_is_safe()
    {
        var state = ChatState();
        var writer = Task.Run(() =>
        {
            for (int i = 0; i < 3000; i++) state.AddMessage("#general", "bob", $"burst {i} with some words to wrap around the view");
        }, TestContext.Current.CancellationToken);
        while (!writer.IsCompleted) Assert.Equal(24, FrameComposer.Compose(state, 80, 24).Rows.Count);
        await writer;
        Assert.Contains("burst 2999", FrameComposer.Compose(state, 200, 60).PlainText());
    }
}
