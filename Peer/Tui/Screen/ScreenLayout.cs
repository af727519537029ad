// Where each region goes on a screen of a given size.
namespace P2PChat.Peer.Tui.Screen;

/// <summary>
/// Rows: 0 title bar · 1..H-3 body · H-2 status bar · H-1 input line.
/// Body columns: buffer list · '│' · message view · ('│' · member list, when shown).
/// The buffer list is W/6 clamped to 10..24 cells, the member list W/7 clamped to 12..20 and only drawn
/// when toggled on, the buffer has one, and at least 30 cells remain for messages.
/// </summary>
internal readonly record struct ScreenLayout(int Width, int Height, int BodyHeight, int BufferListWidth, int MessageWidth, int MemberListWidth)
{
    public const int MinWidth = 30;
    public const int MinHeight = 6;

    public bool ShowsMembers => MemberListWidth > 0;

    public static bool IsTooSmall(int width, int height) => width < MinWidth || height < MinHeight;

    public static ScreenLayout For(int width, int height, bool wantMembers)
    {
        int bufferList = Math.Clamp(width / 6, 10, 24);
        int members = wantMembers ? Math.Clamp(width / 7, 12, 20) : 0;
        if (width - bufferList - 1 - members - 1 < 30) members = 0;
        int message = width - bufferList - 1 - (members > 0 ? members + 1 : 0);
        return new ScreenLayout(width, height, height - 3, bufferList, message, members);
    }
}
