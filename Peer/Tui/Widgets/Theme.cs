// Every colour and text style the widgets use, in one place.
using Spectre.Console;

namespace P2PChat.Peer.Tui.Widgets;

internal static class Theme
{
    public static readonly Style Plain = Style.Plain;
    public static readonly Style Bar = new(Color.White, Color.NavyBlue);
    public static readonly Style BarDim = new(Color.Grey70, Color.NavyBlue);
    public static readonly Style BarGood = new(Color.Lime, Color.NavyBlue, Decoration.Bold);
    public static readonly Style BarWarn = new(Color.Yellow, Color.NavyBlue, Decoration.Bold);
    public static readonly Style BarBad = new(Color.Red, Color.NavyBlue, Decoration.Bold);
    public static readonly Style Flash = new(Color.White, Color.Red, Decoration.Bold);
    public static readonly Style Separator = new(Color.Grey35);
    public static readonly Style Time = new(Color.Grey50);
    public static readonly Style DayBreak = new(Color.Grey62, decoration: Decoration.Bold);
    public static readonly Style NoticeTag = new(Color.Teal);
    public static readonly Style NoticeText = new(Color.Grey70);
    public static readonly Style ErrorTag = new(Color.Red, decoration: Decoration.Bold);
    public static readonly Style ErrorText = new(Color.Red);
    public static readonly Style OwnNick = new(Color.White, decoration: Decoration.Bold);
    public static readonly Style HighlightNick = new(Color.Black, Color.Yellow, Decoration.Bold);
    public static readonly Style HighlightText = new(Color.Yellow, decoration: Decoration.Bold);
    public static readonly Style EncryptedMark = new(Color.Green);
    public static readonly Style BufferCurrent = new(Color.Black, Color.Grey85, Decoration.Bold);
    public static readonly Style BufferIdle = new(Color.Grey62);
    public static readonly Style BufferUnread = new(Color.White, decoration: Decoration.Bold);
    public static readonly Style BufferHighlight = new(Color.Fuchsia, decoration: Decoration.Bold);
    public static readonly Style BufferNumber = new(Color.Grey50);
    public static readonly Style UnreadCount = new(Color.Yellow);
    public static readonly Style HighlightCount = new(Color.Fuchsia, decoration: Decoration.Bold);
    public static readonly Style MemberHeader = new(Color.Grey70, decoration: Decoration.Underline);
    public static readonly Style MemberOnline = new(Color.Lime);
    public static readonly Style MemberAway = new(Color.Yellow);
    public static readonly Style MemberOffline = new(Color.Grey42);
    public static readonly Style Prompt = new(Color.Aqua, decoration: Decoration.Bold);
}
