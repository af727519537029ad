// The first-run dialogue on the plain terminal: server, register or sign in, user name, masked password.
using System.Text.RegularExpressions;
using P2PChat.Peer.Tui.Terminal;

namespace P2PChat.Peer.Tui.Setup;

/// <summary>
/// Steps: server (host:port, port 1..65535; Enter keeps a known one) → "r"egister or "s"ign in → user name
/// (1-32 of letters, digits, '_' and '-'; Enter keeps a known one) → password, masked (at least 8 chars when
/// registering, then asked again to confirm). Invalid answers are explained and the question asked again.
/// </summary>
public sealed partial class FirstRunPrompt(IKeySource keys, TextWriter output)
{
    public const int MinPasswordLength = 8;

    public static FirstRunPrompt ForConsole() => new(ConsoleKeySource.Shared, Console.Out);

    public async Task<FirstRunAnswers> RunAsync(string? knownServer, string? knownUser, CancellationToken ct)
    {
        output.WriteLine("Welcome to P2PChat.");
        string server = await AskAsync("Server (host:port)", knownServer, IsValidServer, "Give it as host:port, e.g. chat.example.org:7777.", ct);
        bool register = await AskAsync("Register a new account or sign in? [r/s]", "s", IsRegisterOrSignIn, "Answer r (register) or s (sign in).", ct) is ['r' or 'R', ..];
        string user = await AskAsync("User name", knownUser, IsValidUser, "Use 1-32 letters, digits, '_' or '-'.", ct);
        string password = await AskPasswordAsync(register, ct);
        return new FirstRunAnswers(server, register, user, password);
    }

    public static bool IsValidServer(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1) return false;
        var host = text[..colon].Trim('[', ']');
        return int.TryParse(text[(colon + 1)..], out int port) && port is >= 1 and <= 65535
            && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }

    public static bool IsValidUser(string text) => UserPattern().IsMatch(text);

    private static bool IsRegisterOrSignIn(string text) =>
        text.ToLowerInvariant() is "r" or "register" or "s" or "sign in" or "signin";

    private async Task<string> AskAsync(string question, string? known, Func<string, bool> valid, string hint, CancellationToken ct)
    {
        while (true)
        {
            output.Write(string.IsNullOrEmpty(known) ? $"{question}: " : $"{question} [{known}]: ");
            output.Flush();
            var answer = (await KeyLineReader.ReadLineAsync(keys, output, masked: false, ct)).Trim();
            if (answer.Length == 0 && !string.IsNullOrEmpty(known)) answer = known;
            if (valid(answer)) return answer;
            output.WriteLine(hint);
        }
    }

    private async Task<string> AskPasswordAsync(bool register, CancellationToken ct)
    {
        while (true)
        {
            output.Write("Password: ");
            output.Flush();
            var password = await KeyLineReader.ReadLineAsync(keys, output, masked: true, ct);
            if (!register && password.Length > 0) return password;
            if (register && password.Length < MinPasswordLength)
            {
                output.WriteLine($"Use at least {MinPasswordLength} characters.");
                continue;
            }
            if (!register) continue;
            output.Write("Repeat password: ");
            output.Flush();
            if (await KeyLineReader.ReadLineAsync(keys, output, masked: true, ct) == password) return password;
            output.WriteLine("The passwords differ; try again.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex UserPattern();
}
