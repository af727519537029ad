// Draws frames on a terminal stream: diffed lines, one write per frame inside synchronized-output markers.
using System.Text;

namespace P2PChat.Peer.Tui.Rendering;

/// <summary>
/// A frame's bytes: ESC[?2026h (begin synchronized update) · ESC[?25l (hide cursor) · changed rows · BEL per
/// pending bell · ESC[{row};{col}H (cursor) · ESC[?25h · ESC[?2026l (end update), written with one Write call so
/// the terminal never shows half a frame. <see cref="Enter"/> switches to the alternate screen;
/// <see cref="Leave"/> restores the normal screen, colours and cursor.
/// </summary>
public sealed class TerminalRenderer(Stream output)
{
    public const string EnterSequence = "\e[?1049h\e[H\e[2J";
    public const string LeaveSequence = "\e[?2026l\e[0m\e[?25h\e[?1049l";

    private readonly AnsiLineEncoder _encoder = new();
    private readonly StringBuilder _buffer = new();
    private string[]? _previous;

    /// <summary>Rows redrawn by the last <see cref="Draw"/> (for tests and measurements).</summary>
    public int LastChangedRows { get; private set; }

    public void Enter() => WriteRaw(EnterSequence);

    public void Leave() => WriteRaw(LeaveSequence);

    /// <summary>Forgets the previous frame so the next draw repaints everything.</summary>
    public void Invalidate() => _previous = null;

    public void Draw(Frame frame, bool full = false, int bells = 0)
    {
        var lines = _encoder.Encode(frame);
        _buffer.Clear().Append("\e[?2026h\e[?25l");
        LastChangedRows = FrameDiff.Append(_buffer, _previous, lines, full);
        _buffer.Append('\a', Math.Min(bells, 3));
        _buffer.Append("\e[").Append(frame.CursorRow + 1).Append(';').Append(frame.CursorColumn + 1).Append('H');
        _buffer.Append("\e[?25h\e[?2026l");
        WriteRaw(_buffer.ToString());
        _previous = lines;
    }

    private void WriteRaw(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        output.Write(bytes, 0, bytes.Length);
        output.Flush();
    }
}
