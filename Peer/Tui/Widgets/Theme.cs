// Every colour and text style the widgets use, in one place, as Terminal.Gui attributes.
using Terminal.Gui.Drawing;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace P2PChat.Peer.Tui.Widgets;

/// <summary>
/// Colours are given as RGB; Terminal.Gui sends them as 24-bit colour, or the nearest of 16 colours when the
/// terminal lacks true colour. <see cref="Plain"/> keeps the terminal's own foreground and background.
/// </summary>
internal static class Theme
{
    public static readonly Color Navy = Rgb(0x00, 0x00, 0x80);
    public static readonly Color Default = Color.None;

    public static readonly Attribute Plain = new(Default, Default);
    public static readonly Attribute Bar = new(Rgb(0xff, 0xff, 0xff), Navy);
    public static readonly Attribute BarDim = new(Rgb(0xb2, 0xb2, 0xb2), Navy);
    public static readonly Attribute BarGood = new(Rgb(0x00, 0xff, 0x00), Navy, TextStyle.Bold);
    public static readonly Attribute BarWarn = new(Rgb(0xff, 0xff, 0x00), Navy, TextStyle.Bold);
    public static readonly Attribute BarBad = new(Rgb(0xff, 0x00, 0x00), Navy, TextStyle.Bold);
    public static readonly Attribute Flash = new(Rgb(0xff, 0xff, 0xff), Rgb(0xff, 0x00, 0x00), TextStyle.Bold);
    public static readonly Attribute Separator = new(Rgb(0x58, 0x58, 0x58), Default);
    public static readonly Attribute Time = new(Rgb(0x80, 0x80, 0x80), Default);
    public static readonly Attribute DayBreak = new(Rgb(0xa8, 0xa8, 0xa8), Default, TextStyle.Bold);
    public static readonly Attribute NoticeTag = new(Rgb(0x00, 0x80, 0x80), Default);
    public static readonly Attribute NoticeText = new(Rgb(0xb2, 0xb2, 0xb2), Default);
    public static readonly Attribute ErrorTag = new(Rgb(0xff, 0x00, 0x00), Default, TextStyle.Bold);
    public static readonly Attribute ErrorText = new(Rgb(0xff, 0x00, 0x00), Default);
    public static readonly Attribute OwnNick = new(Rgb(0xff, 0xff, 0xff), Default, TextStyle.Bold);

    /// <summary>A mention of me: the sender's nick on yellow (the tmux test looks for this background).</summary>
    public static readonly Attribute HighlightNick = new(Rgb(0x00, 0x00, 0x00), HighlightBackground, TextStyle.Bold);

    public static readonly Attribute HighlightText = new(Rgb(0xff, 0xff, 0x00), Default, TextStyle.Bold);

    public static readonly Attribute EncryptedMark = new(Rgb(0x00, 0x80, 0x00), Default);
    public static readonly Attribute BufferCurrent = new(Rgb(0x00, 0x00, 0x00), Rgb(0xda, 0xda, 0xda), TextStyle.Bold);
    public static readonly Attribute BufferIdle = new(Rgb(0xa8, 0xa8, 0xa8), Default);
    public static readonly Attribute BufferUnread = new(Rgb(0xff, 0xff, 0xff), Default, TextStyle.Bold);
    public static readonly Attribute BufferHighlight = new(Rgb(0xff, 0x00, 0xff), Default, TextStyle.Bold);
    public static readonly Attribute BufferNumber = new(Rgb(0x80, 0x80, 0x80), Default);
    public static readonly Attribute UnreadCount = new(Rgb(0xff, 0xff, 0x00), Default);
    public static readonly Attribute HighlightCount = new(Rgb(0xff, 0x00, 0xff), Default, TextStyle.Bold);
    public static readonly Attribute MemberHeader = new(Rgb(0xb2, 0xb2, 0xb2), Default, TextStyle.Underline);
    public static readonly Attribute MemberOnline = new(Rgb(0x00, 0xff, 0x00), Default);
    public static readonly Attribute MemberAway = new(Rgb(0xff, 0xff, 0x00), Default);
    public static readonly Attribute MemberOffline = new(Rgb(0x6c, 0x6c, 0x6c), Default);
    public static readonly Attribute MemberHost = new(Rgb(0x00, 0xff, 0xff), Default, TextStyle.Bold);
    public static readonly Attribute Prompt = new(Rgb(0x00, 0xff, 0xff), Default, TextStyle.Bold);

    /// <summary>The background of a highlighted nick: xterm's colour 11 (bright yellow).</summary>
    public static Color HighlightBackground => Rgb(0xff, 0xff, 0x00);

    public static Color Rgb(int r, int g, int b) => new(r, g, b, 255);
}
