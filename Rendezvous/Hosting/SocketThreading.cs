// Names the runtime switch that makes socket continuations run on the sockets' event threads (set by Program.cs).
namespace P2PChat.Rendezvous.Hosting;

/// <summary>
/// On Linux .NET waits for socket readiness on "event threads" (one per core when this switch is on) and by default
/// hands every completion to the thread pool: a wake-up and a thread hop for each frame read. With the switch on, the
/// completion, and with it the session's read loop up to its next wait, runs on the event thread itself. The runtime
/// reads the variable once, when the first socket is made. Anything that blocks must then leave the event thread
/// (see <c>SqliteDatabase.OffEventThread</c>).
/// </summary>
public static class SocketThreading
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
}
