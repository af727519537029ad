// Reads one line of text from a key source, echoing it (or '*' per text element when masked), with Backspace.
using System.Globalization;
using System.Text;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tui.Setup;

/// <summary>
/// Enter ends the line; Backspace removes the last text element (and its echo); Ctrl-C throws
/// OperationCanceledException; other control keys are ignored. Surrogate halves are appended as they come,
/// so an emoji typed as two key events ends up whole.
/// </summary>
public static class KeyLineReader
{
    public const int MaxLength = 1024;

    public static async Task<string> ReadLineAsync(IKeySource keys, TextWriter echo, bool masked, CancellationToken ct)
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = await keys.ReadKeyAsync(ct).ConfigureAwait(false);
            if (key.Key == ConsoleKey.Enter || key.KeyChar is '\r' or '\n')
            {
                echo.WriteLine();
                return text.ToString();
            }
            if (key.KeyChar == '\x03' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                throw new OperationCanceledException("cancelled with Ctrl-C");
            if (key.Key == ConsoleKey.Backspace || key.KeyChar is '\b' or '\x7f')
            {
                RemoveLastElement(text, echo);
                continue;
            }
            if (char.IsControl(key.KeyChar) || text.Length >= MaxLength) continue;
            text.Append(key.KeyChar);
            if (!char.IsHighSurrogate(key.KeyChar)) echo.Write(masked ? "*" : key.KeyChar.ToString());
            else if (!masked) echo.Write(key.KeyChar);
            echo.Flush();
        }
    }

    private static void RemoveLastElement(StringBuilder text, TextWriter echo)
    {
        if (text.Length == 0) return;
        var current = text.ToString();
        var starts = StringInfo.ParseCombiningCharacters(current);
        text.Length = starts[^1];
        echo.Write("\b \b");
        echo.Flush();
    }
}
