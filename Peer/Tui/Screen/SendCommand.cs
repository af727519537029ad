// "/send USER" with no path: the line that opens the file browser, and the line it becomes once a file is chosen.
namespace P2PChat.Peer.Tui.Screen;

public static class SendCommand
{
    /// <summary>The user of a "/send USER" line that names no file, or null for any other line.</summary>
    public static string? UserWithoutPath(string line)
    {
        var words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is ["/send", var user] ? user.TrimStart('@') : null;
    }

    /// <summary>The complete command once the browser chose <paramref name="path"/> (quoted: paths have spaces).</summary>
    public static string WithPath(string user, string path) => $"/send {user} \"{path.Replace("\"", "\\\"")}\"";
}
