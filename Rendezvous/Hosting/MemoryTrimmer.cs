// Gives memory back to the OS after a burst (a sign-in storm, a big roster fan-out) and logs where memory stands.
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace P2PChat.Rendezvous.Hosting;

/// <summary>
/// Every <c>period</c>: when more than <see cref="TrimAfterAllocatedBytes"/> were allocated since the last look, a
/// compacting full collection in aggressive mode returns the garbage of the burst to the OS (workstation GC leaves an
/// idle heap as large as its last busy moment otherwise: with no allocation there is no collection). An idle server
/// allocates almost nothing, so this runs once after each burst, not periodically forever. The pause is that of one
/// full collection (tens of ms at 10,000 sessions); then glibc's free native memory is trimmed (<c>malloc_trim</c>). Logs heap, committed and resident memory at debug level.
/// </summary>
public sealed class MemoryTrimmer(TimeSpan period, ILogger log) : IAsyncDisposable
{
    public const long TrimAfterAllocatedBytes = 64L << 20;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Start() => _loop = RunAsync(_stop.Token);

    private async Task RunAsync(CancellationToken ct)
    {
        var lastAllocated = GC.GetTotalAllocatedBytes();
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var allocated = GC.GetTotalAllocatedBytes();
                if (allocated - lastAllocated < TrimAfterAllocatedBytes) continue;
                lastAllocated = allocated;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                // Native memory freed meanwhile (TLS record buffers, OpenSSL objects) sits in glibc's free lists until
                // trimmed; give it back too.
                if (OperatingSystem.IsLinux()) TrimNativeHeap();
                var info = GC.GetGCMemoryInfo();
                var native = OperatingSystem.IsLinux() ? NativeHeapInUse() : null;
                log.LogDebug("memory trimmed: heap {Heap} MiB, committed {Committed} MiB, native heap in use {Native} KiB, resident {Resident} MiB, {Threads} threads",
                    info.HeapSizeBytes >> 20, info.TotalCommittedBytes >> 20, native >> 10, Process.GetCurrentProcess().WorkingSet64 >> 20,
                    Process.GetCurrentProcess().Threads.Count);
            }
        }
        catch (OperationCanceledException) { }
    }

    private static void TrimNativeHeap()
    {
        try { malloc_trim(0); }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [System.Runtime.InteropServices.DllImport("libc", CallingConvention = System.Runtime.InteropServices.CallingConvention.Cdecl)]
    private static extern int malloc_trim(nuint pad);

    /// <summary>Bytes glibc's malloc has handed out and not had back, over all arenas (small and mmapped blocks): the
    /// native side of the server's memory (OpenSSL's objects, SQLite), as against the managed heap. Null off glibc.</summary>
    public static long? NativeHeapInUse()
    {
        try
        {
            var m = mallinfo2();
            return (long)(m.UordBlks + m.HBlkHd);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>glibc's <c>struct mallinfo2</c> (2.33+): ten size_t fields in this order.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [System.Runtime.InteropServices.DllImport("libc", CallingConvention = System.Runtime.InteropServices.CallingConvention.Cdecl)]
    private static extern MallInfo2 mallinfo2();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
