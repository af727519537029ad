// A message in a scrollback log, with whether a day separator precedes it and its wrap cache.
using P2PChat.Peer.Tui.Text;

namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Display lines of an entry = (DayBreak ? 1 : 0) + the wrapped text lines at the current text width.
/// The wrap is cached for the last width asked, so steady rendering and scrolling do not re-wrap.
/// </summary>
internal sealed class LogEntry(ChatMessage message, bool dayBreak)
{
    private int _wrapWidth = -1;
    private List<string> _wrapped = [];

    public ChatMessage Message { get; } = message;

    /// <summary>True when the previous message was on another local day: a "-- date --" line comes first.</summary>
    public bool DayBreak { get; set; } = dayBreak;

    public IReadOnlyList<string> WrappedText(int textWidth)
    {
        if (textWidth != _wrapWidth)
        {
            _wrapped = TextWrapper.Wrap(Message.Text, textWidth);
            _wrapWidth = textWidth;
        }
        return _wrapped;
    }

    public int LineCount(int textWidth) => (DayBreak ? 1 : 0) + WrappedText(textWidth).Count;
}
