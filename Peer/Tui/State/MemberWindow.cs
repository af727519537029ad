// Which slice of a long member list fits in the rows under its header, and where the "+N above/more" hints go.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Layout of <c>rows</c> rows (the member list minus its header) for <c>count</c> members scrolled to
/// <c>offset</c> (index of the first member shown):
/// <code>
///   [ "+A above" ]   only when Start > 0            (A = Start)
///   member Start
///   ...               Shown members
///   [ "+B more" ]    only when members remain below (B = count - Start - Shown)
/// </code>
/// Everything fits → no hints, Start = 0. With fewer than 3 rows there is no room for hints: a plain window.
/// The offset is clamped so the last page is full (no blank rows after the last member).
/// </summary>
internal readonly record struct MemberWindow(int Start, int Shown, int Above, int Below)
{
    public static MemberWindow For(int count, int offset, int rows)
    {
        rows = Math.Max(0, rows);
        if (count <= rows) return new(0, count, 0, 0);
        if (rows < 3)
        {
            int start = Math.Clamp(offset, 0, count - rows);
            return new(start, rows, 0, 0);
        }
        int first = Math.Clamp(offset, 0, MaxOffset(count, rows));
        int room = first > 0 ? rows - 1 : rows;
        int shown = first + room >= count ? count - first : room - 1;
        return new(first, shown, first, count - first - shown);
    }

    /// <summary>The largest useful offset: the "+N above" hint and the last members fill the rows exactly.</summary>
    public static int MaxOffset(int count, int rows) =>
        count <= rows ? 0 : rows < 3 ? count - rows : count - (rows - 1);

    /// <summary>How far one page moves: the member rows of a window that has both hints.</summary>
    public static int Page(int rows) => Math.Max(1, rows - 2);
}
