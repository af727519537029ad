// Tab completion of the word before the cursor, cycling through matches on repeated Tab.
namespace P2PChat.Peer.Tui.State;

/// <summary>
/// States: idle, or cycling (word start, matches, index, and the text/cursor it produced last). A Tab while
/// the line still equals what the last Tab produced moves to the next (or previous) match; anything else
/// starts afresh. What is completed depends on the word: "/x" at the line start → commands, "#x" → channels,
/// "@x" → nicks (the '@' is kept), otherwise nicks. A nick completed at the line start gets ": ", others " ".
/// Works on plain text and a char-index cursor, so any input widget can use it.
/// </summary>
public sealed class TabCompleter
{
    private int _wordStart;
    private List<string> _matches = [];
    private int _index;
    private string? _producedText;
    private int _producedCursor;

    /// <summary>The completed line and cursor, or null when nothing matches.</summary>
    public (string Text, int Cursor)? Complete(string text, int cursor, CompletionSources sources, bool backward = false)
    {
        cursor = Math.Clamp(cursor, 0, text.Length);
        bool cycling = _producedText == text && _producedCursor == cursor && _matches.Count > 0;
        if (cycling) _index = (_index + (backward ? -1 : 1) + _matches.Count) % _matches.Count;
        else if (!Start(text, cursor, sources, backward)) return null;

        string suffix = _wordStart == 0 && !_matches[_index].StartsWith('/') && !_matches[_index].StartsWith('#') ? ": " : " ";
        string rest = text[cursor..];
        if (!cycling) rest = rest.TrimStart(' ');
        string completed = _matches[_index] + suffix;
        (_producedText, _producedCursor) = (text[.._wordStart] + completed + rest, _wordStart + completed.Length);
        return (_producedText, _producedCursor);
    }

    /// <summary>Forgets the cycle (called on any key other than Tab).</summary>
    public void Reset() => (_producedText, _matches) = (null, []);

    private bool Start(string text, int cursor, CompletionSources sources, bool backward)
    {
        int start = cursor;
        while (start > 0 && text[start - 1] != ' ') start--;
        string word = text[start..cursor];
        IEnumerable<string> pool = word switch
        {
            ['/', ..] when start == 0 => sources.Commands,
            ['#', ..] => sources.Channels,
            ['@', ..] => sources.Nicks.Select(n => "@" + n),
            _ => sources.Nicks,
        };
        _matches = [.. pool.Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(c => c, StringComparer.OrdinalIgnoreCase)];
        if (_matches.Count == 0) { Reset(); return false; }
        _wordStart = start;
        _index = backward ? _matches.Count - 1 : 0;
        return true;
    }
}
