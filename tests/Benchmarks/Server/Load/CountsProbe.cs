// Load-independent counts per message during the measured PM window: context switches and system calls (perf stat), thread-pool work items, allocated bytes, lock contentions and collections (dotnet-counters).
using System.Diagnostics;
using System.Globalization;

namespace P2PChat.Benchmarks.Server.Load;

/// <summary>
/// <c>LOAD_COUNTS=S</c> (seconds, within <c>--seconds</c>): when the measured window starts, runs for S seconds on the server's
/// process <c>perf stat -x,</c> (context switches, CPU migrations, every system call and the main ones by name) and, for a
/// .NET server, <c>dotnet-counters collect</c> on <c>System.Runtime</c> (on PATH or in ~/.dotnet/tools). Each count divided by
/// the messages delivered meanwhile is printed as <c>LABEL per_msg_NAME value</c>. A CPU-time figure depends on how loaded
/// the machine is; these counts hardly do, so they compare runs made at different loads. A tool that is missing or fails
/// prints a note on stderr and its figures are left out.
/// </summary>
internal sealed class CountsProbe
{
    private static readonly string[] Syscalls =
        ["recvfrom", "read", "recvmsg", "sendto", "write", "writev", "sendmsg", "epoll_wait", "epoll_ctl", "futex", "sched_yield"];
    /// <summary>dotnet-counters names (without unit and tags) and the figure each is printed as.</summary>
    private static readonly (string Counter, string Figure)[] Runtime =
    [
        ("dotnet.thread_pool.work_item.count", "workitems"),
        ("dotnet.gc.heap.total_allocated", "alloc_bytes"),
        ("dotnet.monitor.lock_contentions", "lock_contentions"),
        ("dotnet.gc.collections", "gcs"),
    ];

    private readonly string _dir;
    private readonly Process? _perf;
    private readonly Process? _counters;

    private CountsProbe(string dir, Process? perf, Process? counters) => (_dir, _perf, _counters) = (dir, perf, counters);

    /// <summary>The probe's length from LOAD_COUNTS, or null when unset.</summary>
    public static int? Seconds => int.TryParse(Environment.GetEnvironmentVariable("LOAD_COUNTS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;

    public static CountsProbe? Start(int pid, bool dotnet)
    {
        if (Seconds is not { } seconds) return null;
        var dir = Directory.CreateTempSubdirectory("p2pchat-counts.").FullName;
        var events = string.Join(',', ["context-switches", "cpu-migrations", "raw_syscalls:sys_enter", .. Syscalls.Select(s => $"syscalls:sys_enter_{s}")]);
        var perf = TryStart("perf", ["stat", "-x,", "-e", events, "-p", P(pid), "-o", Path.Combine(dir, "perf.csv"), "--", "sleep", P(seconds)]);
        Process? counters = null;
        if (dotnet)
        {
            var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-counters");
            counters = TryStart(File.Exists(tool) ? tool : "dotnet-counters", ["collect", "-p", P(pid), "--counters", "System.Runtime", "--format", "csv",
                "-o", Path.Combine(dir, "runtime.csv"), "--duration", TimeSpan.FromSeconds(seconds).ToString("dd\\:hh\\:mm\\:ss", CultureInfo.InvariantCulture)]);
        }
        return new CountsProbe(dir, perf, counters);
    }

    private static string P(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Process? TryStart(string exe, string[] args)
    {
        var start = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            var p = Process.Start(start);
            if (p is null) return null;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && line.Contains("rror", StringComparison.Ordinal)) Console.Error.WriteLine($"# {exe}: {line}"); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.Error.WriteLine($"# counts: {exe} not available ({ex.Message}); its figures are left out");
            return null;
        }
    }

    /// <summary>Waits for both tools, then prints each count per message (<paramref name="messages"/> delivered while they ran).</summary>
    public async Task ReportAsync(Func<long> messagesSoFar, long messagesAtStart, Action<string, double> say, CancellationToken ct)
    {
        foreach (var p in new[] { _perf, _counters })
            if (p is not null) await p.WaitForExitAsync(ct);
        var messages = Math.Max(1, messagesSoFar() - messagesAtStart);
        say("counts_messages", messages);
        foreach (var (name, value) in ReadPerf(Path.Combine(_dir, "perf.csv"))) say($"per_msg_{name}", value / messages);
        foreach (var (name, value) in ReadRuntime(Path.Combine(_dir, "runtime.csv")))
            if (name == "gcs") say("counts_gcs", value);   // a handful per window: the total says more than a ratio
            else say($"per_msg_{name}", value / messages);
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>perf stat -x, lines: value,unit,event,... ("&lt;not counted&gt;" values are skipped).</summary>
    private static IEnumerable<(string, double)> ReadPerf(string file)
    {
        if (!File.Exists(file)) yield break;
        foreach (var line in File.ReadLines(file))
        {
            var f = line.Split(',');
            if (f.Length < 3 || !double.TryParse(f[0], CultureInfo.InvariantCulture, out var v)) continue;
            var name = f[2].Replace("raw_syscalls:sys_enter", "syscalls", StringComparison.Ordinal).Replace("syscalls:sys_enter_", "sys_", StringComparison.Ordinal)
                .Replace('-', '_');
            yield return (name, v);
        }
    }

    /// <summary>dotnet-counters csv (Timestamp,Provider,Counter Name,Counter Type,Mean/Increment): each rate's increments summed
    /// over the run, all tags together (e.g. collections of every generation).</summary>
    private static IEnumerable<(string, double)> ReadRuntime(string file)
    {
        if (!File.Exists(file)) yield break;
        var sums = new Dictionary<string, double>();
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 5 || f[3] != "Rate" || !double.TryParse(f[^1], CultureInfo.InvariantCulture, out var v)) continue;
            var counter = f[2].Split(' ')[0];
            if (Runtime.FirstOrDefault(r => r.Counter == counter) is { Figure: { } figure })
                sums[figure] = sums.GetValueOrDefault(figure) + v;
        }
        foreach (var (figure, sum) in sums) yield return (figure, sum);
    }
}
