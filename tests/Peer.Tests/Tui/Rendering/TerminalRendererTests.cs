// Tests of the terminal renderer: one write per frame, synchronized-output markers, diffing, bell, cursor.
using P2PChat.Peer.Tests.Tui.Support;
using P2PChat.Peer.Tui.Rendering;
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Rendering;

public sealed class TerminalRendererTests
{
    [Fact]
    public void Each_frame_is_one_write_wrapped_in_synchronized_output()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        var stream = new RecordingStream();
        var renderer = new TerminalRenderer(stream);
        renderer.Draw(FrameComposer.Compose(state, 80, 24));
        state.AddMessage("#general", "bob", "hello");
        renderer.Draw(FrameComposer.Compose(state, 80, 24));

        Assert.Equal(2, stream.Writes.Count);
        Assert.All(stream.Writes, w => Assert.StartsWith("\e[?2026h", w));
        Assert.All(stream.Writes, w => Assert.EndsWith("\e[?25h\e[?2026l", w));
        Assert.Contains("\e[24;12H", stream.Writes[1]); // cursor after "[#general] "
    }

    [Fact]
    public void A_new_message_redraws_only_the_rows_that_changed()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        var renderer = new TerminalRenderer(new RecordingStream());
        renderer.Draw(FrameComposer.Compose(state, 80, 24));
        Assert.Equal(24, renderer.LastChangedRows);
        state.AddMessage("#general", "bob", "hello");
        renderer.Draw(FrameComposer.Compose(state, 80, 24));
        Assert.Equal(1, renderer.LastChangedRows); // the bottom message row
        renderer.Draw(FrameComposer.Compose(state, 80, 24));
        Assert.Equal(0, renderer.LastChangedRows);
    }

    [Fact]
    public void Rows_are_styled_with_ansi_and_bells_ring()
    {
        var state = new ChatViewState(new ManualTimeProvider());
        var stream = new RecordingStream();
        new TerminalRenderer(stream).Draw(FrameComposer.Compose(state, 80, 24), bells: 1);
        Assert.Contains("\e[38;5;", stream.All); // 256-colour foregrounds from Spectre
        Assert.Contains('\a', stream.All);
    }

    [Fact]
    public void Enter_and_leave_switch_the_alternate_screen()
    {
        var stream = new RecordingStream();
        var renderer = new TerminalRenderer(stream);
        renderer.Enter();
        renderer.Leave();
        Assert.StartsWith("\e[?1049h", stream.Writes[0]);
        Assert.EndsWith("\e[?1049l", stream.Writes[1]);
        Assert.Contains("\e[?25h", stream.Writes[1]);
    }
}
