// Makes untrusted text (from peers or the server) safe to put on a terminal.
using System.Text;

namespace P2PChat.Peer.Tui.Text;

/// <summary>
/// Replaces control characters (ESC, BEL, CR, backspace, C1 controls, bidi overrides) so that a remote
/// party cannot move our cursor, recolour the screen or hide text. Tabs become a space; newlines are kept
/// only when <c>keepNewlines</c> is set (the wrapper turns them into line breaks).
/// </summary>
public static class TextSanitizer
{
    public static string Clean(string? text, bool keepNewlines = true)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (!NeedsCleaning(text)) return text;
        var sb = new StringBuilder(text.Length);
        foreach (char c in text.Replace("\r\n", "\n"))
        {
            if (c == '\n' && keepNewlines) sb.Append('\n');
            else if (c == '\t') sb.Append(' ');
            else if (IsUnsafe(c)) sb.Append('\uFFFD');
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (char c in text)
            if (IsUnsafe(c) || c == '\t' || c == '\n') return true;
        return false;
    }

    private static bool IsUnsafe(char c) =>
        c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
}
