// When each phase of making one link happened, measured from its introduction, for the one log line that says where the time went.
namespace P2PChat.Peer.Links;

/// <summary>
/// Timestamps (<see cref="TimeProvider.GetTimestamp"/>) of the first time each phase was reached, each set once from
/// any thread: the checks started (our candidates were ready), a checked pair first reached the peer (the handshake
/// races on it from then), the transport connected, the Noise XX handshake proved the peer's key, and a pair was
/// nominated. <see cref="ReportOnce"/> gives the line once the link is both secured and direct, e.g.
/// <c>time to link from the introduction (at 8123.456789 s): checks +2 ms, first reachable pair +31 ms, transport connected +60 ms,
/// handshake done +95 ms, nominated +70 ms; direct link up +95 ms; JIT meanwhile 12 methods, 9 ms</c>. The JIT figures
/// are the whole process's (<see cref="System.Runtime.JitInfo"/>) between the introduction and the report: the methods
/// the precompiled peer still compiles on a link's first set-up (generics over framework types), each in the path.
/// The native AOT peer compiles nothing at run time: its line ends with <c>no JIT (native AOT)</c> instead.
/// When a fresh introduction made the checks start again, the line ends with <c>; re-introduced +7400 ms</c>: every
/// phase still counts from the first introduction (what the user waited), and the later ones came after that mark.
/// </summary>
internal sealed class LinkPhases(long introduced)
{
    private readonly long _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly TimeSpan _jitTime = System.Runtime.JitInfo.GetCompilationTime();
    private long _checks, _reachable, _connected, _secured, _nominated, _reintroduced;
    private int _reported;

    public void ChecksStarted(long at) => Set(ref _checks, at);
    public void Reachable(long at) => Set(ref _reachable, at);
    public void Connected(long at) => Set(ref _connected, at);
    public void Secured(long at) => Set(ref _secured, at);
    public void Nominated(long at) => Set(ref _nominated, at);
    /// <summary>A fresh introduction started checks again (the last one counts): the line then says when, so a late
    /// first reachable pair reads as the re-introduction's, not as slow checks of the first one.</summary>
    public void Reintroduced(long at) => Interlocked.Exchange(ref _reintroduced, at);

    private static void Set(ref long field, long at) => Interlocked.CompareExchange(ref field, at, 0);

    /// <summary>The line, the first time the link is secured and direct (the caller checks both); null afterwards.</summary>
    public string? ReportOnce(TimeProvider time)
    {
        if (Interlocked.Exchange(ref _reported, 1) != 0) return null;
        string Since(long at) => at == 0 ? "-" : $"+{time.GetElapsedTime(introduced, at).TotalMilliseconds:0} ms";
        long up = Math.Max(Interlocked.Read(ref _secured), Interlocked.Read(ref _nominated));
        // The introduction's own timestamp too (with the system clock: CLOCK_MONOTONIC seconds, as Python's time.monotonic
        // and scripts/netlab-delay.py's log), so a benchmark can line both peers' phases up with the packets.
        return $"time to link from the introduction (at {introduced / (double)time.TimestampFrequency:0.000000} s): checks {Since(_checks)}, first reachable pair {Since(_reachable)}, " +
            $"transport connected {Since(_connected)}, handshake done {Since(_secured)}, nominated {Since(_nominated)}; direct link up {Since(up)}; " +
            (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeCompiled
                ? $"JIT meanwhile {System.Runtime.JitInfo.GetCompiledMethodCount() - _jitMethods} methods, {(System.Runtime.JitInfo.GetCompilationTime() - _jitTime).TotalMilliseconds:0} ms"
                : "no JIT (native AOT)") +
            (Interlocked.Read(ref _reintroduced) is var again and not 0 ? $"; re-introduced {Since(again)}" : "");
    }
}
