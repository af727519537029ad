// What the first-run answers must look like: server as host:port, a user name, a long enough password.
using System.Text.RegularExpressions;

namespace P2PChat.Peer.Tui.Setup;

/// <summary>Server: host:port with port 1..65535. User: 1-32 of letters, digits, '_' and '-'. Password: at least
/// <see cref="MinPasswordLength"/> characters when registering (and typed twice the same), not empty when signing in.</summary>
public static partial class FirstRunRules
{
    public const int MinPasswordLength = 8;

    public static bool IsValidServer(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        var host = text[..colon].Trim('[', ']');
        return int.TryParse(text[(colon + 1)..], out int port) && port is >= 1 and <= 65535
            && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    public static bool IsValidUser(string text) => UserPattern().IsMatch(text);

    /// <summary>Why the answers can not be used, or null when they can.</summary>
    public static string? Problem(string server, bool register, string user, string password, string repeat)
    {
        if (!IsValidServer(server.Trim())) return "Give the server as host:port, e.g. chat.example.org:7777.";
        if (!IsValidUser(user.Trim())) return "Use 1-32 letters, digits, '_' or '-' for the user name.";
        if (!register) return password.Length == 0 ? "Type your password." : null;
        if (password.Length < MinPasswordLength) return $"Use at least {MinPasswordLength} characters for the password.";
        return password == repeat ? null : "The passwords differ; type them again.";
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex UserPattern();
}
