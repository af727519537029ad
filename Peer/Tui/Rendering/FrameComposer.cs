// Composes the whole screen from the view state: pure (state, width, height) -> Frame, no terminal needed.
using P2PChat.Peer.Tui.State;
using P2PChat.Peer.Tui.Widgets;
using Spectre.Console.Rendering;

namespace P2PChat.Peer.Tui.Rendering;

public static class FrameComposer
{
    /// <summary>Composes a frame, taking the state's lock.</summary>
    public static Frame Compose(ChatViewState state, int width, int height)
    {
        lock (state.Gate) return ComposeLocked(state, width, height);
    }

    /// <summary>Composes a frame; the caller holds the state's lock. Records the message viewport for scrolling.</summary>
    internal static Frame ComposeLocked(ChatViewState state, int width, int height)
    {
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        if (ScreenLayout.IsTooSmall(width, height)) return TooSmall(width, height);

        var zone = state.Time.LocalTimeZone;
        var localNow = TimeZoneInfo.ConvertTime(state.Time.GetUtcNow(), zone);
        var current = state.Buffers.Current;
        var layout = ScreenLayout.For(width, height, state.ShowMembers && current.HasMemberList);
        state.Viewport = (MessageViewWidget.TextWidth(layout.MessageWidth), layout.BodyHeight);
        state.MemberRows = Math.Max(0, layout.BodyHeight - 1); // under the member list's header

        var bufferList = BufferListWidget.Render(state.Buffers, layout.BufferListWidth, layout.BodyHeight);
        var messages = MessageViewWidget.Render(current, layout.MessageWidth, layout.BodyHeight, zone);
        var members = layout.ShowsMembers ? MemberListWidget.Render(current, layout.MemberListWidth, layout.BodyHeight) : null;

        var rows = new List<SegmentLine>(height) { TitleBarWidget.Render(current, width) };
        for (int r = 0; r < layout.BodyHeight; r++)
        {
            var row = new SegmentLine();
            row.AddRange(bufferList[r]);
            row.Add(new Segment("│", Theme.Separator));
            row.AddRange(messages[r]);
            if (members is not null)
            {
                row.Add(new Segment("│", Theme.Separator));
                row.AddRange(members[r]);
            }
            rows.Add(row);
        }
        int offset = ScrollMath.EffectiveOffset(current, state.Viewport.TextWidth);
        rows.Add(StatusBarWidget.Render(state.Status, current, state.Buffers.IndexOf(current), offset, localNow, width));
        var (input, cursorColumn) = InputLineWidget.Render(state.Input.Editor, current.Id, width);
        rows.Add(input);
        return new Frame(rows, width, height, height - 1, cursorColumn);
    }

    private static Frame TooSmall(int width, int height)
    {
        var rows = new List<SegmentLine>(height);
        for (int r = 0; r < height; r++)
            rows.Add(new RowBuilder(width).Add(r == 0 ? "terminal too small" : "", Theme.Plain).Build());
        return new Frame(rows, width, height, 0, 0);
    }
}
