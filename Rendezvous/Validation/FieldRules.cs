// The rules every user-supplied field must follow; each check returns null when fine, else why not (for STATUS 28).
using System.Globalization;
using System.Text;
using P2PChat.Core.Unicode;

namespace P2PChat.Rendezvous.Validation;

public static class FieldRules
{
    public const int MaxProfileField = 64;
    public const int MaxTopic = 300;
    public const int MaxAwayText = 256;
    public const int MaxIdentityKey = 512;

    /// <summary>3–32 characters of A–Z a–z 0–9 _ . -</summary>
    public static string? Username(string v) =>
        v.Length is < 3 or > 32 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            ? "username: 3-32 characters of A-Z a-z 0-9 _ . -" : null;

    /// <summary>8–255 bytes of UTF-8.</summary>
    public static string? Password(string v) =>
        Encoding.UTF8.GetByteCount(v) is < 8 or > 255 ? "password: 8-255 bytes" : null;

    /// <summary>1–32 characters, not only spaces, and the name rules of <see cref="UnicodePolicy.NameProblem"/> (no
    /// control, bidi-control, invisible, tag or format characters, U+2028/U+2029, BOM, Hangul filler; NFC).</summary>
    public static string? Nickname(string v) =>
        v.Length is < 1 or > 32 || string.IsNullOrWhiteSpace(v) ? "nickname: 1-32 characters, not only spaces"
        : UnicodePolicy.NameProblem(v) is { } problem ? $"nickname: {problem}" : null;

    /// <summary>Channel text sent in clear (general and open channels): valid UTF-8 without terminal controls (ESC, BEL,
    /// NUL, C1...; TAB and LF are fine), so no escape sequence reaches other members' terminals.</summary>
    public static string? ChannelText(ReadOnlySpan<byte> data)
    {
        string text;
        try { text = Strict.GetString(data); }
        catch (DecoderFallbackException) { return "text: not valid UTF-8"; }
        return UnicodePolicy.HasTerminalControls(text) ? "text: no terminal control characters (ESC, BEL, NUL, DEL, C1)" : null;
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Empty, or x@y with no spaces, at most 64 characters.</summary>
    public static string? Email(string v) =>
        v.Length == 0 ? null
        : v.Length > MaxProfileField || v.IndexOf('@') is var at && (at <= 0 || at == v.Length - 1) || v.Any(char.IsWhiteSpace)
            ? "email: x@y, at most 64 characters" : null;

    /// <summary>Empty, or yyyy-mm-dd strictly before <paramref name="today"/>.</summary>
    public static string? BirthDate(string v, DateOnly today, out DateOnly? date)
    {
        date = null;
        if (v.Length == 0) return null;
        if (!DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) || d >= today)
            return "birth date: yyyy-mm-dd in the past";
        date = d;
        return null;
    }

    /// <summary>Free text such as full name, gender, location: at most 64 characters, no control characters.</summary>
    public static string? ProfileText(string name, string v) => Text(name, v, MaxProfileField);

    /// <summary>1–32 characters of A–Z a–z 0–9 _ - (given without the leading '#').</summary>
    public static string? ChannelName(string v) =>
        v.Length is < 1 or > 32 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? "channel name: 1-32 characters of A-Z a-z 0-9 _ -" : null;

    public static string? Topic(string v) => Text("topic", v, MaxTopic);

    public static string? AwayText(string v) => Text("away text", v, MaxAwayText);

    /// <summary>At most <paramref name="max"/> characters that display as they are (<see cref="UnicodePolicy.ForDisplay"/>:
    /// no control, bidi-control or invisible characters, no line breaks).</summary>
    private static string? Text(string name, string v, int max) =>
        v.Length > max || UnicodePolicy.ForDisplay(v, keepNewlines: false) != v
            ? $"{name}: at most {max} characters, no control, bidi-control or invisible characters" : null;
}
