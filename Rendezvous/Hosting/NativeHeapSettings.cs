// Caps glibc's malloc arenas at process start, so that idle connections' native memory (OpenSSL) is not spread over one arena per thread.
using System.Runtime.InteropServices;

namespace P2PChat.Rendezvous.Hosting;

/// <summary>
/// glibc gives each thread that meets lock contention its own malloc arena, up to 8 per core; every arena keeps its
/// own free lists and high-water mark, so native memory freed after a burst (TLS handshakes, record buffers) stays
/// resident in many places and <c>malloc_trim</c> cannot give much of it back. The server's native allocations are
/// small and mostly made by thread-pool threads, so <see cref="Arenas"/> arenas are enough (docs/benchmarks.md,
/// issue 12, measures the difference). Called first thing in <c>Main</c>, before the runtime starts its threads'
/// work; arenas created before stay. An operator's own <c>MALLOC_ARENA_MAX</c> or <c>GLIBC_TUNABLES</c> wins, and
/// anything other than glibc on Linux is left alone.
/// </summary>
public static class NativeHeapSettings
{
    /// <summary>The cap applied (glibc's <c>M_ARENA_MAX</c>).</summary>
    public const int Arenas = 2;
    private const int MArenaMax = -8;

    /// <summary>True when the cap is now in force (false: not Linux/glibc, or the environment sets its own).</summary>
    public static bool LimitArenas() => LimitArenas(Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="LimitArenas()"/>, reading the environment through <paramref name="environment"/>.</summary>
    public static bool LimitArenas(Func<string, string?> environment)
    {
        if (!OperatingSystem.IsLinux() || environment("MALLOC_ARENA_MAX") is not null || environment("GLIBC_TUNABLES") is not null)
            return false;
        try { return mallopt(MArenaMax, Arenas) == 1; }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [DllImport("libc", CallingConvention = CallingConvention.Cdecl)]
    private static extern int mallopt(int param, int value);
}
