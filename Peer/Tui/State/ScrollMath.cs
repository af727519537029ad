// Scroll offsets of a buffer in display lines: the effective offset now, and clamping a requested one.
namespace P2PChat.Peer.Tui.State;

internal static class ScrollMath
{
    /// <summary>
    /// Display lines between the bottom of the view and the bottom of the log. 0 follows the tail. When pinned
    /// above the bottom, lines appended since the pin are added, so the visible lines stay where they were.
    /// </summary>
    public static int EffectiveOffset(ChatBuffer buffer, int textWidth)
    {
        if (buffer.ScrollLines == 0) return 0;
        long arrived = Math.Min(buffer.Log.TotalAppended - buffer.ScrollPinnedAt, buffer.Log.Count);
        int extra = 0;
        for (int i = 0; i < arrived; i++) extra += buffer.Log[buffer.Log.Count - 1 - i].LineCount(textWidth);
        return buffer.ScrollLines + extra;
    }

    /// <summary>
    /// Clamps <paramref name="wanted"/> to [0, total lines - view height]. Counts lines back from the newest
    /// entry only as far as needed, so scrolling near the bottom of a 10,000-line log stays cheap.
    /// </summary>
    public static int Clamp(ChatBuffer buffer, int wanted, int textWidth, int viewHeight)
    {
        if (wanted <= 0) return 0;
        long need = (long)wanted + viewHeight;
        long total = 0;
        for (int i = buffer.Log.Count - 1; i >= 0 && total < need; i--) total += buffer.Log[i].LineCount(textWidth);
        return (int)Math.Clamp(total - viewHeight, 0, wanted);
    }

    /// <summary>Pins the buffer at <paramref name="offset"/> lines above the bottom, as of now.</summary>
    public static void Pin(ChatBuffer buffer, int offset)
    {
        buffer.ScrollLines = offset;
        buffer.ScrollPinnedAt = buffer.Log.TotalAppended;
    }
}
