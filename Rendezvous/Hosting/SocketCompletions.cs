// Where socket completions run: inline on .NET's socket event threads (the server's default, two per core) or handed to the thread pool; decided before the first socket exists.
using System.Globalization;

namespace P2PChat.Rendezvous.Hosting;

/// <summary>
/// .NET reads <see cref="Variable"/> and <see cref="ThreadCountVariable"/> once, when the first asynchronous socket operation
/// starts its event threads; they have no runtimeconfig or AppContext equivalent. The server sets them at the start of
/// <c>Main</c> unless the operator's environment already names a value (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c>
/// brings back the thread-pool hand-off). Inline, a session's read loop and what a command does (a PM's delivery to the
/// recipient's socket and the MSG_ACK) run on the event thread that saw the sender's socket become readable: no
/// thread-pool work item and no wake-up of a pool worker per frame. Two event threads per core rather than .NET's one
/// when inline: a preempted event thread stalls every socket on it, and with twice as many each serves half as many
/// sockets and the scheduler (which shares CPU per thread) gives the server more of a busy machine (docs/server.md
/// "Threading", docs/benchmarks.md issue 12 session 11). Whatever blocks (SQLite, the password hash, the TLS
/// handshake's key exchange) moves to the pool first.
/// </summary>
public static class SocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    public const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";
    public const int EventThreadsPerCore = 2;

    /// <summary>The value to set given the operator's (null or empty: not set), or null to leave it alone.</summary>
    public static string? ValueToSet(string? operatorValue) => string.IsNullOrEmpty(operatorValue) ? "1" : null;

    /// <summary>The event-thread count to set: two per core when completions run inline and the operator named no count; else null.</summary>
    public static string? ThreadCountToSet(string? operatorValue, bool inline, int processors) =>
        inline && string.IsNullOrEmpty(operatorValue) ? (EventThreadsPerCore * processors).ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>True when completions will run inline with <paramref name="value"/> in force (as .NET reads it: exactly "1").</summary>
    public static bool IsInline(string? value) => value == "1";

    /// <summary>Sets the defaults in this process's environment (call before any socket is used); true when inline.</summary>
    public static bool Apply()
    {
        if (ValueToSet(Environment.GetEnvironmentVariable(Variable)) is { } value) Environment.SetEnvironmentVariable(Variable, value);
        var inline = IsInline(Environment.GetEnvironmentVariable(Variable));
        if (ThreadCountToSet(Environment.GetEnvironmentVariable(ThreadCountVariable), inline, Environment.ProcessorCount) is { } count)
            Environment.SetEnvironmentVariable(ThreadCountVariable, count);
        return inline;
    }

    /// <summary>The start-up log line's text.</summary>
    public static string Describe(bool inline) => inline
        ? $"socket completions run inline on the socket event threads ({Variable}=1, {ThreadCountVariable}={Environment.GetEnvironmentVariable(ThreadCountVariable) ?? "default"})"
        : $"socket completions are handed to the thread pool ({Variable} is not 1)";
}
