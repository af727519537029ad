// Tab completion of the word before the cursor, cycling through matches on repeated Tab.
namespace P2PChat.Peer.Tui.Input;

/// <summary>
/// States: idle, or cycling (word start, matches, index, and the text/cursor it produced last). A Tab while
/// the line still equals what the last Tab produced moves to the next (or previous) match; anything else
/// starts afresh. What is completed depends on the word: "/x" at the line start → commands, "#x" → channels,
/// "@x" → nicks (the '@' is kept), otherwise nicks. A nick completed at the line start gets ": ", others " ".
/// </summary>
public sealed class TabCompleter
{
    private int _wordStart;
    private List<string> _matches = [];
    private int _index;
    private string? _producedText;
    private int _producedCursor;

    /// <summary>Completes in <paramref name="editor"/>; false when nothing matches.</summary>
    public bool Complete(LineEditor editor, CompletionSources sources, bool backward = false)
    {
        bool cycling = _producedText == editor.Text && _producedCursor == editor.Cursor && _matches.Count > 0;
        if (cycling) _index = (_index + (backward ? -1 : 1) + _matches.Count) % _matches.Count;
        else if (!Start(editor, sources, backward)) return false;

        string suffix = _wordStart == 0 && !_matches[_index].StartsWith('/') && !_matches[_index].StartsWith('#') ? ": " : " ";
        string rest = editor.Text[editor.Cursor..];
        if (!cycling) rest = rest.TrimStart(' ');
        string completed = _matches[_index] + suffix;
        editor.SetText(editor.Text[.._wordStart] + completed + rest, _wordStart + completed.Length);
        (_producedText, _producedCursor) = (editor.Text, editor.Cursor);
        return true;
    }

    /// <summary>Forgets the cycle (called on any key other than Tab).</summary>
    public void Reset() => (_producedText, _matches) = (null, []);

    private bool Start(LineEditor editor, CompletionSources sources, bool backward)
    {
        int start = editor.Cursor;
        while (start > 0 && editor.Text[start - 1] != ' ') start--;
        string word = editor.Text[start..editor.Cursor];
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
