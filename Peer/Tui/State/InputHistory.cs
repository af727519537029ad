// Lines the user submitted, walked with Up/Down; the unfinished line is kept while browsing.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// Position == Count means "not browsing" (editing the draft). Up moves towards older lines, Down back
/// towards the draft. Consecutive duplicates and blank lines are not stored.
/// </summary>
public sealed class InputHistory(int capacity = 500)
{
    private readonly List<string> _lines = [];
    private int _position;
    private string _draft = "";

    public int Count => _lines.Count;

    public void Add(string line)
    {
        if (!string.IsNullOrWhiteSpace(line) && (_lines.Count == 0 || _lines[^1] != line))
        {
            _lines.Add(line);
            if (_lines.Count > capacity) _lines.RemoveAt(0);
        }
        _position = _lines.Count;
        _draft = "";
    }

    /// <summary>Ends a walk through the history (e.g. the buffer changed): the next Up starts from the newest line again.</summary>
    public void StopBrowsing() => (_position, _draft) = (_lines.Count, "");

    /// <summary>The older line to show, or null at the oldest. <paramref name="current"/> is saved as the draft when browsing starts.</summary>
    public string? Older(string current)
    {
        if (_position == 0) return null;
        if (_position == _lines.Count) _draft = current;
        return _lines[--_position];
    }

    /// <summary>The newer line to show (the draft after the newest), or null when not browsing.</summary>
    public string? Newer()
    {
        if (_position >= _lines.Count) return null;
        _position++;
        return _position == _lines.Count ? _draft : _lines[_position];
    }
}
