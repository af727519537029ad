// Tests of line diffing: only changed rows are emitted, each positioned; a full redraw repaints all.
using System.Text;
using P2PChat.Peer.Tui.Rendering;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.Rendering;

public sealed class FrameDiffTests
{
    [Fact]
    public void Only_changed_lines_are_emitted_with_their_position()
    {
        var output = new StringBuilder();
        int changed = FrameDiff.Append(output, ["a", "b", "c", "d"], ["a", "B", "c", "D"], full: false);
        Assert.Equal(2, changed);
        Assert.Equal("\e[2;1HB\e[4;1HD", output.ToString());
    }

    [Fact]
    public void Identical_frames_emit_nothing()
    {
        var output = new StringBuilder();
        Assert.Equal(0, FrameDiff.Append(output, ["a", "b"], ["a", "b"], full: false));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void First_frame_resize_or_full_redraw_clear_and_repaint_every_line()
    {
        var output = new StringBuilder();
        Assert.Equal(2, FrameDiff.Append(output, null, ["a", "b"], full: false));
        Assert.Equal("\e[0m\e[2J\e[1;1Ha\e[2;1Hb", output.ToString());
        Assert.Equal(3, FrameDiff.Append(output.Clear(), ["a", "b"], ["a", "b", "c"], full: false));
        Assert.Equal(2, FrameDiff.Append(output.Clear(), ["a", "b"], ["a", "b"], full: true));
    }
}
