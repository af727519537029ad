// A diagnostic: with P2PCHAT_JIT_LOG=1 in the environment, every method the runtime compiles is named on stderr.
using System.Diagnostics.Tracing;

namespace P2PChat.Peer.Hosting;

/// <summary>
/// The peer runs precompiled (ReadyToRun) without tiered compilation, so each method it still compiles is one
/// ReadyToRun could not precompile (generic code over framework types), compiled once, fully optimised, on the thread
/// that first calls it. This names them, one stderr line each (<c>jit: +1234 ms Namespace.Type.Method(signature)</c>:
/// when it was compiled, from the process start; the lines come late and in batches, so sort by that time), so a
/// benchmark can see which ones a link's set-up still pays for (docs/benchmarks.md, "Session 10 (N)"). Off unless <see cref="Variable"/> is 1: the listener itself costs (its own code is compiled too, so the
/// counts of the phases line are larger while it runs).
/// </summary>
internal sealed class JitLog : EventListener
{
    public const string Variable = "P2PCHAT_JIT_LOG";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const int MethodLoadVerbose = 143;
    private const uint Jitted = 0x8;
    private static JitLog? _instance;
    private static readonly DateTime Started = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();

    /// <summary>Starts the log when the environment asks for it (once).</summary>
    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) == "1") _instance ??= new JitLog();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != MethodLoadVerbose || e.PayloadNames is not { } names || e.Payload is not { } values) return;
        object? Field(string name) => names.IndexOf(name) is >= 0 and var i ? values[i] : null;
        if (Field("MethodFlags") is not uint flags || (flags & Jitted) == 0) return;   // a precompiled method being loaded
        // The listener hears of events in batches, later than they happened: the line carries the event's own time.
        Console.Error.WriteLine($"jit: +{(e.TimeStamp.ToUniversalTime() - Started).TotalMilliseconds:0} ms {Field("MethodNamespace")}.{Field("MethodName")}{Field("MethodSignature")}");
    }
}
