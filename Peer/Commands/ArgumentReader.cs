// Splits a command's argument text into words, with the quoting rules of docs/headless.md.
using System.Text;
using P2PChat.Peer.Events;

namespace P2PChat.Peer.Commands;

/// <summary>
/// Quoting rules: words are separated by spaces or tabs. Double quotes group: <c>"New York"</c> is one word and
/// the quotes are dropped; they may sit inside a word (<c>location="New York"</c> → <c>location=New York</c>).
/// Inside quotes, <c>\"</c> is a quote and <c>\\</c> a backslash; elsewhere a backslash is an ordinary character.
/// A trailing text parameter (<see cref="Rest"/>) takes the rest of the line verbatim, quotes and all.
/// </summary>
public sealed class ArgumentReader(string text)
{
    private int _pos;

    public bool AtEnd
    {
        get { SkipSpace(); return _pos >= text.Length; }
    }

    /// <summary>The next word, or null when there is none.</summary>
    /// <exception cref="CommandFailedException">a quote is not closed.</exception>
    public string? NextWord()
    {
        if (AtEnd) return null;
        var word = new StringBuilder();
        var quoted = false;
        for (; _pos < text.Length; _pos++)
        {
            var c = text[_pos];
            if (quoted)
            {
                if (c == '"') quoted = false;
                else if (c == '\\' && _pos + 1 < text.Length && text[_pos + 1] is '"' or '\\') word.Append(text[++_pos]);
                else word.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (IsSpace(c)) break;
            else word.Append(c);
        }
        if (quoted) throw new CommandFailedException(PeerErrorCode.BadArguments, "a quote (\") is not closed");
        return word.ToString();
    }

    /// <summary>Everything not read yet, without the spaces around it.</summary>
    public string Rest()
    {
        var rest = _pos < text.Length ? text[_pos..].Trim() : "";
        _pos = text.Length;
        return rest;
    }

    /// <summary>Writes <paramref name="word"/> so that <see cref="NextWord"/> reads it back unchanged.</summary>
    public static string Quote(string word) => "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private void SkipSpace()
    {
        while (_pos < text.Length && IsSpace(text[_pos])) _pos++;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t';
}
