// Reads another process's CPU time and resident memory from /proc, and waits (bounded) for a quiet machine.
using System.Globalization;

namespace P2PChat.Benchmarks.Server.Load;

internal static class ProcessProbe
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User + system CPU time the process has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Resident set size in KiB (VmRSS).</summary>
    public static long ResidentKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Busy cores over the last second, from /proc/stat (all processes).</summary>
    public static async Task<double> BusyCoresAsync(CancellationToken ct)
    {
        var (busy0, total0) = Sample();
        await Task.Delay(1000, ct);
        var (busy1, total1) = Sample();
        return (busy1 - busy0) / (double)Math.Max(1, total1 - total0) * Environment.ProcessorCount;
    }

    /// <summary>Waits until the machine uses at most <paramref name="maxBusyCores"/> for a second, for at most
    /// <paramref name="limit"/>; returns the last reading (so the report can say how loaded it was).</summary>
    public static async Task<double> WaitForQuietAsync(double maxBusyCores, TimeSpan limit, CancellationToken ct)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var busy = await BusyCoresAsync(ct);
            if (busy <= maxBusyCores || DateTime.UtcNow >= until) return busy;
        }
    }

    private static (long Busy, long Total) Sample()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = cpu[3] + cpu[4];
        var total = cpu.Take(8).Sum();
        return (total - idle, total);
    }
}
