// Makes untrusted text (from peers or the server) safe to put on a terminal, by the shared policy in Core/Unicode.
using P2PChat.Core.Unicode;

namespace P2PChat.Peer.Tui.Text;

/// <summary>
/// Every piece of text a peer displays goes through <see cref="Clean"/>: terminal controls (ESC, BEL, NUL, CR,
/// backspace, DEL, C1), bidi controls and overrides, zero-width and other invisible characters (directional marks,
/// U+2028/U+2029, BOM, tag characters, Hangul fillers) become U+FFFD, so a remote party can neither move our cursor,
/// recolour the screen, write our clipboard (OSC 52), reorder nor hide text. Tabs become a space; newlines are kept
/// only when <c>keepNewlines</c> is set (the wrapper turns them into line breaks). A zero width joiner inside an emoji
/// sequence is kept. The rules are <see cref="UnicodePolicy.ForDisplay"/>, shared with the server's validation.
/// </summary>
public static class TextSanitizer
{
    public static string Clean(string? text, bool keepNewlines = true) => UnicodePolicy.ForDisplay(text, keepNewlines);
}
