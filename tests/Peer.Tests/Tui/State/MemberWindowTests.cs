// Tests of the member list window: which members fit, the "+N above/more" hints, the clamped offset.
using P2PChat.Peer.Tui.State;
using Xunit;

namespace P2PChat.Peer.Tests.Tui.State;

public sealed class MemberWindowTests
{
    [Theory]
    [InlineData(5, 0, 5, 0, 5, 0, 0)]    // fits: everything, no hints
    [InlineData(5, 3, 5, 0, 5, 0, 0)]    // fits: an offset is ignored
    [InlineData(10, 0, 5, 0, 4, 0, 6)]   // top: 4 members + "+6 more"
    [InlineData(10, 3, 5, 3, 3, 3, 4)]   // middle: "+3 above", 3 members, "+4 more"
    [InlineData(10, 6, 5, 6, 4, 6, 0)]   // last page: "+6 above", 4 members
    [InlineData(10, 99, 5, 6, 4, 6, 0)]  // past the end: clamped to the last page
    [InlineData(10, -4, 5, 0, 4, 0, 6)]  // before the start: clamped to the top
    [InlineData(10, 4, 2, 4, 2, 0, 0)]   // too few rows for hints: a plain window
    [InlineData(10, 0, 0, 0, 0, 0, 0)]   // no rows at all
    public void Lays_out_members_and_hints(int count, int offset, int rows, int start, int shown, int above, int below)
    {
        var window = MemberWindow.For(count, offset, rows);
        Assert.Equal(new MemberWindow(start, shown, above, below), window);
        int used = window.Shown + (window.Above > 0 ? 1 : 0) + (window.Below > 0 ? 1 : 0);
        Assert.True(used <= rows);
        if (rows >= 3) Assert.Equal(count, window.Start + window.Shown + window.Below);
    }

    [Fact]
    public void Every_offset_fills_the_rows_and_accounts_for_every_member()
    {
        for (int count = 0; count < 40; count++)
        for (int rows = 0; rows < 12; rows++)
        for (int offset = 0; offset <= count; offset++)
        {
            var w = MemberWindow.For(count, offset, rows);
            int used = w.Shown + (w.Above > 0 ? 1 : 0) + (w.Below > 0 ? 1 : 0);
            Assert.Equal(Math.Min(count, rows), used);
            if (rows >= 3) Assert.Equal((count, w.Start), (w.Start + w.Shown + w.Below, w.Above));
            Assert.InRange(w.Start, 0, MemberWindow.MaxOffset(count, rows));
        }
    }
}
