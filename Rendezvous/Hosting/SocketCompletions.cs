// Where socket completions run: inline on .NET's socket event threads (the server's default) or handed to the thread pool; decided before the first socket exists.
namespace P2PChat.Rendezvous.Hosting;

/// <summary>
/// .NET reads <see cref="Variable"/> once, when the first asynchronous socket operation starts its event threads; it has no
/// runtimeconfig or AppContext equivalent. The server sets it to 1 at the start of <c>Main</c> unless the operator's
/// environment already names a value (<c>0</c> brings back the thread-pool hand-off). Inline, a session's read loop and
/// what a command does (a PM's delivery to the recipient's socket and the MSG_ACK) run on the event thread that saw the
/// sender's socket become readable: no thread-pool work item and no wake-up of a pool worker per frame
/// (docs/server.md "Threading", docs/benchmarks.md issue 12 session 11). Whatever blocks (SQLite, the password hash,
/// the TLS handshake's key exchange) moves to the pool first.
/// </summary>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>The value to set given the operator's (null or empty: not set), or null to leave it alone.</summary>
    public static string? ValueToSet(string? operatorValue) => string.IsNullOrEmpty(operatorValue) ? "1" : null;

    /// <summary>True when completions will run inline with <paramref name="value"/> in force (as .NET reads it: exactly "1").</summary>
    public static bool IsInline(string? value) => value == "1";

    /// <summary>Sets the default in this process's environment (call before any socket is used); true when inline.</summary>
    public static bool Apply()
    {
        if (ValueToSet(Environment.GetEnvironmentVariable(Variable)) is { } value) Environment.SetEnvironmentVariable(Variable, value);
        return IsInline(Environment.GetEnvironmentVariable(Variable));
    }

    /// <summary>The start-up log line's text.</summary>
    public static string Describe(bool inline) => inline
        ? $"socket completions run inline on the socket event threads ({Variable}=1)"
        : $"socket completions are handed to the thread pool ({Variable} is not 1)";
}
