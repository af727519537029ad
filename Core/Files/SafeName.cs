// Which relative paths a received offer may name: nothing that could escape the target folder or hit a device.
namespace P2PChat.Core.Files;

/// <summary>
/// A manifest path is relative, '/'-separated, made of 1–64 segments, at most <see cref="MaxPathBytes"/> UTF-8 bytes.
/// A segment is refused when it is empty, "." or "..", longer than 255 UTF-8 bytes, contains '/', '\', ':' or a
/// control character (U+0000–U+001F, U+007F), ends with '.' or ' ' (Windows strips them), or is a DOS device name
/// (CON, PRN, AUX, NUL, COM0–9, LPT0–9, with or without an extension, any case). Pure: no file system access.
/// </summary>
public static class SafeName
{
    public const int MaxPathBytes = 1024;
    public const int MaxSegmentBytes = 255;
    public const int MaxDepth = 64;

    private static readonly string[] Devices = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

    /// <summary>Null when <paramref name="path"/> is safe, else why not (for the user).</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0) return "an empty name";
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes) return $"a path longer than {MaxPathBytes} bytes";
        if (path.StartsWith('/') || path.StartsWith('\\')) return $"an absolute path '{Shown(path)}'";
        var segments = path.Split('/');
        if (segments.Length > MaxDepth) return $"a path deeper than {MaxDepth} folders";
        foreach (var segment in segments)
            if (SegmentProblem(segment) is { } why) return $"{why} in '{Shown(path)}'";
        return null;
    }

    public static string? SegmentProblem(string segment)
    {
        if (segment.Length == 0) return "an empty path segment";
        if (segment is "." or "..") return $"a '{segment}' segment";
        if (System.Text.Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes) return $"a name longer than {MaxSegmentBytes} bytes";
        foreach (var c in segment)
        {
            if (c < 0x20 || c == 0x7F) return "a control character";
            if (c is '\\' or ':') return $"a '{c}' character";
        }
        if (segment.EndsWith('.') || segment.EndsWith(' ')) return "a name ending with '.' or ' '";
        if (IsDevice(segment)) return $"the device name '{segment}'";
        return null;
    }

    private static bool IsDevice(string segment)
    {
        var stem = segment.Split('.')[0].TrimEnd(' ').ToUpperInvariant();
        if (Devices.Contains(stem)) return true;
        return stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal))
            && (char.IsAsciiDigit(stem[3]) || stem[3] is '¹' or '²' or '³');
    }

    /// <summary>The path with control characters made visible, for events and logs.</summary>
    public static string Shown(string path) =>
        string.Concat(path.Select(c => c < 0x20 || c == 0x7F ? $"\\x{(int)c:x2}" : c.ToString()));
}
