// The shared Unicode policy: which characters names and displayed text may hold, and UTS #39 confusable skeletons.
using System.Globalization;
using System.Text;

namespace P2PChat.Core.Unicode;

/// <summary>
/// One policy for the server's validation and the peer's display (pure functions, no I/O):
/// <list type="bullet">
/// <item><b>Terminal controls</b> (<see cref="IsTerminalControl"/>): C0 controls but TAB and LF, DEL, C1 controls
/// (0x80–0x9F, e.g. the 8-bit CSI). ESC starts every terminal escape sequence (colours, cursor moves, OSC 52
/// clipboard writes), BEL rings, NUL truncates. Refused in channel text by the server, replaced on display.</item>
/// <item><b>Bidi controls</b> (<see cref="IsBidiControl"/>): U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069,
/// which reorder what follows them ("Trojan Source").</item>
/// <item><b>Invisible</b> (<see cref="IsInvisible"/>): zero-width and other default-ignorable format characters
/// (U+00AD, U+034F, U+115F–U+1160, U+17B4–U+17B5, U+180B–U+180F, U+200B–U+200D, U+2060–U+206F, U+3164, U+FE00–U+FE0F,
/// U+FEFF BOM, U+FFA0, U+1BCA0–U+1BCA3, U+1D173–U+1D17A, U+E0000–U+E0FFF tags and variation selectors), the
/// line and paragraph separators U+2028/U+2029, and private-use and unassigned code points in names.</item>
/// <item><b>Names</b> (<see cref="NameProblem"/>): none of the above, no other control or format character, no
/// whitespace but U+0020, no leading or trailing space.</item>
/// <item><b>Skeletons</b> (<see cref="Skeleton"/>): UTS #39 (NFD, each character replaced by its prototype, NFD again)
/// after NFKD, precomputed per code point where the result is ASCII (<see cref="ConfusablesTable"/>); <see cref="LooksLike"/> compares
/// two strings' skeletons ignoring case, so "аlice" (Cyrillic а), "ALICE" and "AIice" all look like "alice".</item>
/// </list>
/// </summary>
public static class UnicodePolicy
{
    /// <summary>C0 (but TAB, LF), DEL and C1: what a terminal may act on.</summary>
    public static bool IsTerminalControl(int cp) => cp < 0x20 && cp is not ('\t' or '\n') || cp is >= 0x7F and <= 0x9F;

    public static bool IsBidiControl(int cp) => cp is 0x061C or 0x200E or 0x200F or >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069;

    /// <summary>Characters that render as nothing (or as an invisible gap) but still make two strings differ.</summary>
    public static bool IsInvisible(int cp) => cp is 0x00AD or 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5
        or >= 0x180B and <= 0x180F or >= 0x200B and <= 0x200D or 0x2028 or 0x2029 or >= 0x2060 and <= 0x206F
        or 0x3164 or >= 0xFE00 and <= 0xFE0F or 0xFEFF or 0xFFA0 or >= 0x1BCA0 and <= 0x1BCA3
        or >= 0x1D173 and <= 0x1D17A or >= 0xE0000 and <= 0xE0FFF;

    /// <summary>Null when <paramref name="name"/> (a nickname) follows the policy, else why not.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length > 0 && (name[0] == ' ' || name[^1] == ' ')) return "no leading or trailing spaces";
        foreach (var rune in name.EnumerateRunes())
        {
            var cp = rune.Value;
            if (IsTerminalControl(cp) || cp is '\t' or '\n') return $"no control characters (U+{cp:X4})";
            if (IsBidiControl(cp)) return $"no bidirectional controls (U+{cp:X4})";
            if (IsInvisible(cp)) return $"no invisible characters (U+{cp:X4})";
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Format or UnicodeCategory.Control) return $"no format characters (U+{cp:X4})";
            if (category is UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.Surrogate)
                return $"no private-use or unassigned characters (U+{cp:X4})";
            if (Rune.IsWhiteSpace(rune) && cp != ' ') return $"no spaces other than U+0020 (U+{cp:X4})";
        }
        return null;
    }

    /// <summary>True when <paramref name="text"/> holds a terminal control (see <see cref="IsTerminalControl"/>).</summary>
    public static bool HasTerminalControls(string text)
    {
        foreach (var rune in text.EnumerateRunes())
            if (IsTerminalControl(rune.Value)) return true;
        return false;
    }

    /// <summary>The UTS #39 skeleton as far as it can be ASCII: each code point replaced by its entry in
    /// <see cref="ConfusablesTable"/> (which already holds NFKD, the prototype and NFD), others kept. No normalisation
    /// at run time (the programs run with invariant globalization); a result with anything but ASCII left can never
    /// equal an ASCII username's.</summary>
    public static string Skeleton(string text)
    {
        var mapped = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (ConfusablesTable.Prototypes.TryGetValue(rune.Value, out var prototype)) mapped.Append(prototype);
            else mapped.Append(rune.ToString());
        }
        return mapped.ToString();
    }

    /// <summary>The keys two strings that look alike share (either one equal is enough): the skeleton, and the skeleton
    /// of the lower-cased string, both lower-cased (case alone never tells two names apart).</summary>
    public static (string Exact, string Folded) LookAlikeKeys(string text) =>
        (Skeleton(text).ToLowerInvariant(), Skeleton(text.ToLowerInvariant()).ToLowerInvariant());

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> would look alike on screen.</summary>
    public static bool LooksLike(string a, string b)
    {
        var (ea, fa) = LookAlikeKeys(a);
        var (eb, fb) = LookAlikeKeys(b);
        return ea == eb || fa == fb;
    }

    /// <summary>Text for display: terminal controls, bidi controls and invisible characters become U+FFFD (TAB a
    /// space; LF kept when <paramref name="keepNewlines"/>, else U+FFFD), except a ZERO WIDTH JOINER between two
    /// pictographs (emoji sequences such as 👨‍👩‍👧), which is kept. Unpaired surrogates become U+FFFD.</summary>
    public static string ForDisplay(string? text, bool keepNewlines = true)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (IsPlain(text, keepNewlines)) return text;
        text = text.Replace("\r\n", "\n");
        var sb = new StringBuilder(text.Length);
        var previous = 0;
        for (var i = 0; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            var cp = status == System.Buffers.OperationStatus.Done ? rune.Value : 0xFFFD;
            i += Math.Max(used, 1);
            if (cp == '\n') sb.Append(keepNewlines ? "\n" : "\uFFFD");
            else if (cp == '\t') sb.Append(' ');
            else if (cp == 0x200D && IsPictograph(previous) && i < text.Length
                     && Rune.DecodeFromUtf16(text.AsSpan(i), out var next, out _) == System.Buffers.OperationStatus.Done && IsPictograph(next.Value))
                sb.Append('\u200D');
            else if (IsTerminalControl(cp) || IsBidiControl(cp) || IsInvisible(cp) && cp != 0xFE0F) sb.Append('\uFFFD');
            else sb.Append(char.ConvertFromUtf32(cp));
            previous = cp;
        }
        return sb.ToString();
    }

    /// <summary>True when nothing in <paramref name="text"/> needs looking at (then it is shown as it is).</summary>
    private static bool IsPlain(string text, bool keepNewlines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[++i]);
                if (IsInvisible(cp)) return false;   // tags, musical format controls, shorthand format controls
                continue;
            }
            if (c == '\n' ? !keepNewlines : c < 0x20 || c is >= (char)0x7F and <= (char)0x9F) return false;
            if (char.IsSurrogate(c) || c is '\u061C' or '\u00AD' or '\u034F' or '\u115F' or '\u1160' or '\u17B4' or '\u17B5'
                || c is >= '\u180B' and <= '\u180F' || c is >= '\u200B' and <= '\u200F' || c is >= '\u2028' and <= '\u202E'
                || c is >= '\u2060' and <= '\u206F' || c is '\u3164' or '\uFEFF' or '\uFFA0' || c is >= '\uFE00' and <= '\uFE0F')
                return false;
        }
        return true;
    }

    /// <summary>Emoji and other pictographs (the ranges emoji ZWJ sequences use), and VS16 which may follow one.</summary>
    private static bool IsPictograph(int cp) => cp is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or 0xFE0F or 0x2640 or 0x2642;
}
